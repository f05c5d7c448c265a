import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ordinalOf, planStatefulSet, revisionFor, type OrdinalPod, type SetView } from './plan.js';

const set = (over: Partial<SetView> = {}): SetView => ({ replicas: 3, start: 0, parallel: false, rollingUpdate: true, partition: 0, currentRevision: 'r1', updateRevision: 'r1', ...over });
const pod = (ordinal: number, over: Partial<OrdinalPod> = {}): OrdinalPod => ({ name: `web-${ordinal}`, ordinal, revision: 'r1', phase: 'Running', ready: true, terminating: false, ...over });

describe('StatefulSet plan', () => {
  test('OrderedReady makes web-0 first and waits for it to be Running and Ready before web-1', () => {
    assert.deepEqual(planStatefulSet(set(), []), { create: [{ ordinal: 0, revision: 'r1' }], delete: [] });
    assert.deepEqual(planStatefulSet(set(), [pod(0, { phase: 'Pending', ready: false })]), { create: [], delete: [] });
    assert.deepEqual(planStatefulSet(set(), [pod(0, { ready: false })]), { create: [], delete: [] });
    assert.deepEqual(planStatefulSet(set(), [pod(0)]), { create: [{ ordinal: 1, revision: 'r1' }], delete: [] });
  });

  test('Parallel makes every missing ordinal at once', () => {
    assert.deepEqual(planStatefulSet(set({ parallel: true }), [pod(1, { ready: false })]).create.map((c) => c.ordinal), [0, 2]);
  });

  test('a failed pod is deleted so that the same name comes back', () => {
    assert.deepEqual(planStatefulSet(set(), [pod(0), pod(1, { phase: 'Failed', ready: false }), pod(2)]), { create: [], delete: ['web-1'] });
  });

  test('OrderedReady scales down from the highest ordinal, one at a time, only when the rest are healthy', () => {
    const pods = [pod(0), pod(1), pod(2), pod(3), pod(4)];
    assert.deepEqual(planStatefulSet(set(), pods), { create: [], delete: ['web-4'] });
    assert.deepEqual(planStatefulSet(set(), [pod(0), pod(1), pod(2), pod(3), pod(4, { terminating: true })]), { create: [], delete: [] });
    assert.deepEqual(planStatefulSet(set(), [pod(0), pod(1, { ready: false }), pod(2), pod(3)]), { create: [], delete: [] });
    assert.deepEqual(planStatefulSet(set({ parallel: true }), pods), { create: [], delete: ['web-4', 'web-3'] });
  });

  test('RollingUpdate replaces the highest ordinal first and waits for it to be Ready again', () => {
    const s = set({ updateRevision: 'r2' });
    assert.deepEqual(planStatefulSet(s, [pod(0), pod(1), pod(2)]), { create: [], delete: ['web-2'] });
    assert.deepEqual(planStatefulSet(s, [pod(0), pod(1), pod(2, { revision: 'r2', ready: false })]), { create: [], delete: [] });
    assert.deepEqual(planStatefulSet(s, [pod(0), pod(1), pod(2, { revision: 'r2' })]), { create: [], delete: ['web-1'] });
  });

  test('a partition keeps the ordinals below it at the current revision, also when they are re-created', () => {
    const s = set({ updateRevision: 'r2', partition: 2 });
    assert.deepEqual(planStatefulSet(s, [pod(0), pod(1), pod(2, { revision: 'r2' })]), { create: [], delete: [] });
    assert.equal(revisionFor(s, 1), 'r1');
    assert.equal(revisionFor(s, 2), 'r2');
    assert.deepEqual(planStatefulSet(s, [pod(0), pod(2, { revision: 'r2' })]), { create: [{ ordinal: 1, revision: 'r1' }], delete: [] });
  });

  test('OnDelete never deletes a pod for its revision; a deleted one comes back at the update revision', () => {
    const s = set({ updateRevision: 'r2', rollingUpdate: false });
    assert.deepEqual(planStatefulSet(s, [pod(0), pod(1), pod(2)]), { create: [], delete: [] });
    assert.deepEqual(planStatefulSet(s, [pod(0), pod(2)]), { create: [{ ordinal: 1, revision: 'r2' }], delete: [] });
  });

  test('ordinals.start shifts the names', () => {
    assert.deepEqual(planStatefulSet(set({ start: 5, replicas: 1 }), []), { create: [{ ordinal: 5, revision: 'r1' }], delete: [] });
  });

  test('ordinalOf reads NAME-i and nothing else', () => {
    assert.equal(ordinalOf('web', 'web-0'), 0);
    assert.equal(ordinalOf('web', 'web-12'), 12);
    assert.equal(ordinalOf('web', 'web-01'), undefined);
    assert.equal(ordinalOf('web', 'web-x'), undefined);
    assert.equal(ordinalOf('web', 'webby-1'), undefined);
  });
});
