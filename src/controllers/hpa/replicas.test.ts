import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpuReplicas, type PodSample } from './replicas.js';

const pod = (name: string, usageMillis: number | undefined, ready = true, requestMillis = 100): PodSample => ({ name, requestMillis, usageMillis, ready });

test('desired = ceil(ready pods × utilization / target)', () => {
  // 3 pods at 90% of their request against a 50% target: ceil(3 × 1.8) = 6.
  const r = cpuReplicas([pod('a', 90), pod('b', 90), pod('c', 90)], 3, 50);
  assert.deepEqual(r, { replicas: 6, utilization: 90, averageMillis: 90 });
  // 4 pods at 10% against 50%: ceil(4 × 0.2) = 1.
  assert.equal(cpuReplicas([pod('a', 10), pod('b', 10), pod('c', 10), pod('d', 10)], 4, 50).replicas, 1);
});

test('within the 10% tolerance nothing changes; just outside it does', () => {
  assert.equal(cpuReplicas([pod('a', 54), pod('b', 55)], 2, 50).replicas, 2);
  assert.equal(cpuReplicas([pod('a', 45), pod('b', 46)], 2, 50).replicas, 2);
  assert.equal(cpuReplicas([pod('a', 56), pod('b', 56)], 2, 50).replicas, 3);
});

test('utilization is over the sum of requests, so pods with bigger requests weigh more', () => {
  // 300m used of (100m + 500m) requested is 50%, exactly on target.
  const r = cpuReplicas([pod('small', 100, true, 100), pod('big', 200, true, 500)], 2, 50);
  assert.equal(r.utilization, 50);
  assert.equal(r.replicas, 2);
});

test('scaling up, pods without metrics count as using nothing', () => {
  // Measured: 2 pods at 100% vs target 50% (ratio 2). The pod without metrics counts as 0%:
  // (200 + 0) / 300 = 66% → ratio 1.33 → ceil(1.33 × 3) = 4 (not 6 as the measured pods alone say).
  const r = cpuReplicas([pod('a', 100), pod('b', 100), pod('new', undefined)], 3, 50);
  assert.equal(r.replicas, 4);
  assert.equal(r.utilization, 100);
});

test('scaling down, pods without metrics count as using their whole request', () => {
  // Measured: 2 pods at 10% vs target 50%. Missing pods count as 100%: (20 + 200) / 400 = 55% → ratio 1.1:
  // within tolerance, so no change (the measured pods alone would say 1).
  assert.equal(cpuReplicas([pod('a', 10), pod('b', 10), pod('m1', undefined), pod('m2', undefined)], 4, 50).replicas, 4);
  // With one missing pod: (20 + 100) / 300 = 40% → ratio 0.8 → ceil(0.8 × 3) = 3.
  assert.equal(cpuReplicas([pod('a', 10), pod('b', 10), pod('m1', undefined)], 3, 50).replicas, 3);
});

test('unready pods count as using nothing when scaling up, and are ignored when scaling down', () => {
  // Up: 1 ready pod at 200% vs 50% plus 1 unready: (200 + 0) / 200 = 100% → ratio 2 → ceil(2 × 2) = 4.
  assert.equal(cpuReplicas([pod('a', 200), pod('starting', 0, false)], 2, 50).replicas, 4);
  // Down: the unready pod is left out: 1 pod at 10% → ceil(0.2 × 1) = 1.
  assert.equal(cpuReplicas([pod('a', 10), pod('starting', undefined, false)], 2, 50).replicas, 1);
});

test('filled-in pods that would reverse the direction keep the current count', () => {
  // Measured says down (40% vs 50%); missing pods at 100% push it above target: keep 3.
  assert.equal(cpuReplicas([pod('a', 40), pod('m1', undefined), pod('m2', undefined)], 3, 50).replicas, 3);
});

test('no pods, or no pod with metrics, is an error naming why', () => {
  assert.throws(() => cpuReplicas([], 1, 50), /no pods returned by selector/);
  assert.throws(() => cpuReplicas([pod('a', undefined), pod('b', 10, false)], 2, 50), /did not receive metrics for targeted pods/);
});
