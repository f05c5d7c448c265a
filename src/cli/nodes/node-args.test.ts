import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeTarget } from './node-args.js';
import { planDrain } from './drain-plan.js';
import type { Pod } from '../../api/pod.js';

test('node verbs take NODE, nodes NODE or node/NODE', () => {
  assert.deepEqual(nodeTarget(['nodes', 'edge-1', 'a=b:NoSchedule'], 'taint', true), { name: 'edge-1', rest: ['a=b:NoSchedule'] });
  assert.deepEqual(nodeTarget(['no', 'edge-1', 'k=v'], 'label', true), { name: 'edge-1', rest: ['k=v'] });
  assert.deepEqual(nodeTarget(['node/edge-1', 'k=v'], 'label', true), { name: 'edge-1', rest: ['k=v'] });
  assert.deepEqual(nodeTarget(['edge-1'], 'drain', false), { name: 'edge-1', rest: [] });
  assert.throws(() => nodeTarget(['pods', 'web', 'k=v'], 'taint', true), /works on nodes only/);
  assert.throws(() => nodeTarget(['edge-1', 'k=v'], 'label', true), /doesn't have a resource type "edge-1"/);
  assert.throws(() => nodeTarget(['nodes'], 'label', true), /you must specify a node name/);
  assert.throws(() => nodeTarget([], 'cordon', false), /requires a NODE argument/);
});

const pod = (name: string, extra: Partial<Pod['metadata']> = {}, spec: Partial<Pod['spec']> = {}, phase?: 'Succeeded'): Pod =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', ...extra }, spec: { containers: [], ...spec }, status: phase ? { phase } : {} }) as Pod;

test('drain needs --force for pods no controller owns and --delete-emptydir-data for emptyDir, as kubectl', () => {
  const owned = pod('owned', { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u', controller: true }] });
  const bare = pod('bare');
  const scratch = pod('scratch', { ownerReferences: owned.metadata.ownerReferences }, { volumes: [{ name: 'tmp', emptyDir: {} }] });
  const done = pod('done', {}, {}, 'Succeeded');
  assert.deepEqual(planDrain([owned, done], { force: false, deleteEmptyDirData: false }).errors, []);
  assert.deepEqual(planDrain([bare], { force: false, deleteEmptyDirData: false }).errors, ['cannot delete Pods that declare no controller (use --force to override): default/bare']);
  const forced = planDrain([bare, owned], { force: true, deleteEmptyDirData: false });
  assert.deepEqual(forced.errors, []);
  assert.deepEqual(forced.warnings, ['Warning: deleting Pods that declare no controller: default/bare']);
  assert.equal(forced.pods.length, 2);
  assert.match(planDrain([scratch], { force: false, deleteEmptyDirData: false }).errors[0] ?? '', /use --delete-emptydir-data/);
});
