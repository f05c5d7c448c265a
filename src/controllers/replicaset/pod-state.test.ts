import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/pod.js';
import { isAvailable, podsToDelete } from './pod-state.js';

const at = (s: number): string => new Date(Date.parse('2026-01-01T00:00:00Z') + s * 1000).toISOString();

function pod(name: string, o: { node?: string; phase?: 'Pending' | 'Running'; readyAt?: number; created?: number; restarts?: number }): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, creationTimestamp: at(o.created ?? 0) },
    spec: { containers: [{ name: 'c', image: 'i' }], ...(o.node ? { nodeName: o.node } : {}) },
    status: {
      phase: o.phase ?? 'Pending',
      conditions: o.readyAt === undefined ? [] : [{ type: 'Ready', status: 'True', lastTransitionTime: at(o.readyAt) }],
      containerStatuses: [{ name: 'c', ready: o.readyAt !== undefined, restartCount: o.restarts ?? 0, image: 'i', state: {} }],
    },
  };
}

test('scale-down removes unscheduled, then pending, then not-ready, then the most recently ready pods first', () => {
  const pods = [
    pod('old-ready', { node: 'n', phase: 'Running', readyAt: 10 }),
    pod('new-ready', { node: 'n', phase: 'Running', readyAt: 50 }),
    pod('running-not-ready', { node: 'n', phase: 'Running' }),
    pod('pending-on-node', { node: 'n', phase: 'Pending' }),
    pod('unscheduled', {}),
  ];
  assert.deepEqual(podsToDelete(pods, 5).map((p) => p.metadata.name), ['unscheduled', 'pending-on-node', 'running-not-ready', 'new-ready', 'old-ready']);
  assert.deepEqual(podsToDelete(pods, 2).map((p) => p.metadata.name), ['unscheduled', 'pending-on-node']);
});

test('among equals, more restarts go first, then the newer pod', () => {
  const a = pod('a', { node: 'n', phase: 'Running', created: 1 });
  const b = pod('b', { node: 'n', phase: 'Running', created: 2 });
  const c = pod('c', { node: 'n', phase: 'Running', created: 0, restarts: 3 });
  assert.deepEqual(podsToDelete([a, b, c], 3).map((p) => p.metadata.name), ['c', 'b', 'a']);
});

test('a pod is available once it has been ready for minReadySeconds', () => {
  const p = pod('p', { node: 'n', phase: 'Running', readyAt: 0 });
  const t0 = Date.parse(at(0));
  assert.equal(isAvailable(p, 0, t0), true);
  assert.equal(isAvailable(p, 10, t0 + 9_000), false);
  assert.equal(isAvailable(p, 10, t0 + 10_000), true);
  assert.equal(isAvailable(pod('q', { node: 'n', phase: 'Running' }), 0, t0), false);
});
