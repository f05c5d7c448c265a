import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { planDaemonSet, type DsNode, type DsPod, type DsStrategy } from './plan.js';

const nodes = (...names: string[]): DsNode[] => names.map((name) => ({ name, shouldRun: true }));
let seq = 0;
const pod = (node: string, over: Partial<DsPod> = {}): DsPod => ({ name: `ds-${node}-${seq++}`, node, updated: true, failed: false, available: true, terminating: false, created: seq, ...over });
const rolling = (maxUnavailable: number, maxSurge = 0): DsStrategy => ({ rollingUpdate: true, maxUnavailable, maxSurge });

describe('DaemonSet plan', () => {
  test('one pod per node that should run it; a new node gets one', () => {
    const p = pod('a');
    assert.deepEqual(planDaemonSet(nodes('a', 'b', 'c'), [p], rolling(1)), { create: ['b', 'c'], delete: [] });
  });

  test('a node that stops matching loses its pod, and a pod whose node is gone goes', () => {
    const a = pod('a');
    const gone = pod('z');
    const plan = planDaemonSet([{ name: 'a', shouldRun: false }], [a, gone], rolling(1));
    assert.deepEqual(plan.create, []);
    assert.deepEqual(plan.delete.sort(), [a.name, gone.name].sort());
  });

  test('a failed pod is deleted first and replaced on the next pass; an extra one goes', () => {
    const failed = pod('a', { failed: true, available: false });
    assert.deepEqual(planDaemonSet(nodes('a'), [failed], rolling(1)), { create: [], delete: [failed.name] });
    const first = pod('b');
    const extra = pod('b');
    assert.deepEqual(planDaemonSet(nodes('b'), [first, extra], rolling(1)), { create: [], delete: [extra.name] });
  });

  test('a node in back-off after a failed pod gets no new pod until it ends', () => {
    assert.deepEqual(planDaemonSet(nodes('a', 'b'), [], rolling(1), new Set(['a'])), { create: ['b'], delete: [] });
  });

  test('RollingUpdate without surge deletes old pods within maxUnavailable, unavailable old ones first', () => {
    const olds = ['a', 'b', 'c', 'd'].map((n) => pod(n, { updated: false }));
    assert.equal(planDaemonSet(nodes('a', 'b', 'c', 'd'), olds, rolling(2)).delete.length, 2);
    const sick = pod('e', { updated: false, available: false });
    const plan = planDaemonSet(nodes('a', 'b', 'c', 'd', 'e'), [...olds, sick], rolling(1));
    assert.deepEqual(plan.delete, [sick.name]);
  });

  test('RollingUpdate with surge makes the new pod first and deletes the old one once the new is available', () => {
    const old = pod('a', { updated: false });
    assert.deepEqual(planDaemonSet(nodes('a'), [old], rolling(0, 1)), { create: ['a'], delete: [] });
    const fresh = pod('a', { available: false });
    assert.deepEqual(planDaemonSet(nodes('a'), [old, fresh], rolling(0, 1)), { create: [], delete: [] });
    const ready = pod('a');
    assert.deepEqual(planDaemonSet(nodes('a'), [old, ready], rolling(0, 1)), { create: [], delete: [old.name] });
  });

  test('OnDelete replaces nothing, but a deleted pod comes back', () => {
    const old = pod('a', { updated: false });
    assert.deepEqual(planDaemonSet(nodes('a', 'b'), [old], { rollingUpdate: false, maxUnavailable: 0, maxSurge: 0 }), { create: ['b'], delete: [] });
  });
});
