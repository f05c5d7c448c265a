import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject } from '../../api/meta.js';
import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../api/schema/storage.js';
import { SELECTED_NODE_ANNOTATION } from '../../api/storage.js';
import { withTestApi } from '../../testing/api.js';
import { SchedulerCache } from '../cache.js';
import { CycleState } from '../framework/cycle-state.js';
import { filterNodes } from '../framework/cycle.js';
import type { Profile } from '../framework/plugin.js';
import { MakeNode, MakePod } from '../testing/builders.js';
import { selectNodeForClaims, volumeBinding, volumeStoreKey } from './volume-binding.js';

const profile: Profile = { preFilters: [volumeBinding], filters: [volumeBinding], scores: [] };

const pvc = (name: string, extra: Partial<PersistentVolumeClaim['spec']> = {}, size = '1Gi'): PersistentVolumeClaim =>
  ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } }, ...extra } });
const pv = (name: string, node: string | undefined, modes: PersistentVolume['spec']['accessModes'] = ['ReadWriteOnce']): PersistentVolume => ({
  apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name },
  spec: { capacity: { storage: '1Gi' }, accessModes: modes, local: { path: `/d/${name}` }, ...(node ? { nodeAffinity: { required: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] } } } : {}) },
});
const sc = (name: string, mode: StorageClass['volumeBindingMode'], isDefault = false): StorageClass => ({
  apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name, ...(isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}) }, provisioner: 'rancher.io/local-path', volumeBindingMode: mode,
});
const withClaims = (name: string, claims: string[], node?: string): Pod => {
  const b = MakePod().Name(name);
  if (node) b.NodeName(node);
  const p = b.Obj();
  p.metadata.uid = `uid-${name}`;
  p.spec.volumes = claims.map((c, i) => ({ name: `v${i}`, persistentVolumeClaim: { claimName: c } }));
  return p;
};

/** A scheduler cache holding nodes n1..nN (storage capacity `storage`), the objects and the bound pods; the pod's filter result. */
function run(pod: Pod, objects: [string, ApiObject][], opts: { nodes?: number; storage?: string; bound?: Pod[] } = {}): { feasible: string[]; reasons: Record<string, string> } {
  const cache = new SchedulerCache([volumeStoreKey]);
  for (let i = 1; i <= (opts.nodes ?? 2); i++) {
    const n: Node = MakeNode().Name(`n${i}`).Capacity({ cpu: '4', memory: '8Gi', ...(opts.storage ? { 'ephemeral-storage': opts.storage } : {}) }).Obj();
    cache.setNode(n);
  }
  for (const p of opts.bound ?? []) cache.setPod(p);
  for (const [resource, object] of objects) cache.objectChanged(resource, { type: 'ADDED', object });
  const r = filterNodes(pod, cache.snapshot(), profile, new CycleState());
  const reasons: Record<string, string> = {};
  for (const [n, s] of r.statuses) reasons[n] = `${s.code}: ${s.reasons.join('; ')}`;
  return { feasible: r.feasible.map((n) => n.name), reasons };
}

const claimBoundTo = (c: PersistentVolumeClaim, v: string): PersistentVolumeClaim => ({ ...c, spec: { ...c.spec, volumeName: v }, status: { phase: 'Bound' } });

describe('VolumeBinding plugin', () => {
  test('a bound local volume pins its pods to its node', () => {
    const r = run(withClaims('db', ['data']), [['persistentvolumeclaims', claimBoundTo(pvc('data'), 'pv1')], ['persistentvolumes', pv('pv1', 'n2')]]);
    assert.deepEqual(r.feasible, ['n2']);
    assert.match(r.reasons.n1 ?? '', /UnschedulableAndUnresolvable: node\(s\) had volume node affinity conflict/);
  });

  test('a ReadWriteOnce volume in use on one node keeps a second pod on that node', () => {
    const r = run(withClaims('b', ['data']), [['persistentvolumeclaims', claimBoundTo(pvc('data'), 'pv1')], ['persistentvolumes', pv('pv1', undefined)]], { bound: [withClaims('a', ['data'], 'n1')] });
    assert.deepEqual(r.feasible, ['n1']);
    assert.match(r.reasons.n2 ?? '', /^Unschedulable: .*"data" is ReadWriteOnce and in use on node n1/);
  });

  test('ReadWriteMany may be used on every node; ReadWriteOncePod by one pod only', () => {
    const many = run(withClaims('b', ['data']), [['persistentvolumeclaims', claimBoundTo(pvc('data'), 'pv1')], ['persistentvolumes', pv('pv1', undefined, ['ReadWriteMany'])]], { bound: [withClaims('a', ['data'], 'n1')] });
    assert.deepEqual(many.feasible, ['n1', 'n2']);
    const once = run(withClaims('b', ['data']), [['persistentvolumeclaims', claimBoundTo(pvc('data'), 'pv1')], ['persistentvolumes', pv('pv1', undefined, ['ReadWriteOncePod'])]], { bound: [withClaims('a', ['data'], 'n1')] });
    assert.deepEqual(once.feasible, []);
    assert.match(once.reasons.n1 ?? '', /ReadWriteOncePod and already used by another pod/);
    const alone = run(withClaims('a', ['data']), [['persistentvolumeclaims', claimBoundTo(pvc('data'), 'pv1')], ['persistentvolumes', pv('pv1', undefined, ['ReadWriteOncePod'])]]);
    assert.deepEqual(alone.feasible, ['n1', 'n2'], 'the pod itself is not "another pod"');
  });

  test('an unbound WaitForFirstConsumer claim (the default class) fits any node that can hold its size', () => {
    const objs: [string, ApiObject][] = [['storageclasses', sc('local-path', 'WaitForFirstConsumer', true)], ['persistentvolumeclaims', pvc('data', {}, '10Gi')]];
    assert.deepEqual(run(withClaims('db', ['data']), objs, { storage: '100Gi' }).feasible, ['n1', 'n2']);
    const small = run(withClaims('db', ['data']), objs, { storage: '5Gi' });
    assert.deepEqual(small.feasible, []);
    assert.match(small.reasons.n1 ?? '', /did not have enough free storage/);
  });

  test('clear Pending messages: missing claim, unknown class, unbound Immediate claim, claim being deleted', () => {
    const msg = (objs: [string, ApiObject][]): string => run(withClaims('db', ['data']), objs).reasons.n1 ?? '';
    assert.match(msg([]), /persistentvolumeclaim "data" not found/);
    assert.match(msg([['persistentvolumeclaims', pvc('data', { storageClassName: 'gold' })]]), /storageclass\.storage\.k8s\.io "gold" not found/);
    assert.match(msg([['storageclasses', sc('fast', 'Immediate')], ['persistentvolumeclaims', pvc('data', { storageClassName: 'fast' })]]), /unbound immediate PersistentVolumeClaims/);
    const deleting = pvc('data');
    deleting.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
    assert.match(msg([['persistentvolumeclaims', deleting]]), /"data" is being deleted/);
    assert.match(msg([['persistentvolumeclaims', claimBoundTo(pvc('data'), 'gone')]]), /bound to volume "gone", which is not found/);
  });

  test('a pod without claims is not looked at', () => {
    assert.deepEqual(run(MakePod().Name('plain').Obj(), []).feasible, ['n1', 'n2']);
  });

  test('selectNodeForClaims marks the pod\'s unbound claims with the chosen node, and leaves bound ones alone', () => withTestApi(async ({ api }) => {
    await api.create('persistentvolumeclaims', pvc('wait'));
    await api.create('persistentvolumeclaims', { ...pvc('done'), spec: { ...pvc('done').spec, volumeName: 'pv1' } });
    await selectNodeForClaims(api, withClaims('db', ['wait', 'done', 'missing']), 'n2');
    assert.equal((await api.get<PersistentVolumeClaim>('persistentvolumeclaims', 'wait', 'default')).metadata.annotations?.[SELECTED_NODE_ANNOTATION], 'n2');
    assert.equal((await api.get<PersistentVolumeClaim>('persistentvolumeclaims', 'done', 'default')).metadata.annotations?.[SELECTED_NODE_ANNOTATION], undefined);
  }));
});
