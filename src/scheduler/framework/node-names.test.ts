import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/pod.js';
import { MakeNode } from '../testing/builders.js';
import { buildSnapshot } from './snapshot.js';
import { decide } from './cycle.js';
import { defaultProfile } from '../profile.js';
import { requiredNodeNames } from './node-names.js';

const byName = (...names: string[]): Pod['spec']['affinity'] => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: names }] }] } } });
const pod = (cpu: string, affinity?: Pod['spec']['affinity']): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u' },
  spec: { containers: [{ name: 'c', image: 'i', resources: { requests: { cpu } } }], ...(affinity ? { affinity } : {}) },
});
const nodes = ['a', 'b', 'c'].map((n) => MakeNode().Name(n).Capacity({ cpu: '1', memory: '1Gi' }).Obj());

test('a pod that names its node by metadata.name is filtered against that node only, with the same answers', () => {
  const snap = buildSnapshot(nodes, []);
  assert.deepEqual(decide(pod('100m', byName('b')), snap, defaultProfile, undefined, { limit: 1, start: 0 }).decision.node, 'b');
  const full = decide(pod('2', byName('c')), snap, defaultProfile).decision;
  assert.equal(full.node, undefined);
  assert.equal('message' in full ? full.message : '', "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector.");
  const gone = decide(pod('100m', byName('z')), snap, defaultProfile).decision;
  assert.equal('message' in gone ? gone.message : '', "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.");
});

test('only terms that all name nodes narrow the search', () => {
  assert.deepEqual([...requiredNodeNames(pod('1', byName('a', 'b')))!], ['a', 'b']);
  const mixed: Pod['spec']['affinity'] = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [
    { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a'] }] }, { matchExpressions: [{ key: 'zone', operator: 'Exists' }] },
  ] } } };
  assert.equal(requiredNodeNames(pod('1', mixed)), undefined);
  assert.equal(requiredNodeNames(pod('1')), undefined);
});
