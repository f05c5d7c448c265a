import { test } from 'node:test';
import assert from 'node:assert/strict';
import { limitRate, recordScale, stabilize, type Behavior, type ScaleHistory } from './behavior.js';
import { defaultScaleDown, defaultScaleUp } from '../../api/kinds/hpa.js';

const s = 1000;
const fresh = (): ScaleHistory => ({ recommendations: [], up: [], down: [] });
const defaults = (): Behavior => ({ scaleUp: defaultScaleUp(), scaleDown: defaultScaleDown() });

test('scale-down stabilization applies the highest recommendation of the window', () => {
  const h = fresh();
  const b = defaults();
  assert.equal(stabilize(h, b, 5, 5, 0).replicas, 5);
  // Load drops: the recommendation is 2, but 5 was recommended 60 s ago.
  const r = stabilize(h, b, 5, 2, 60 * s);
  assert.equal(r.replicas, 5);
  assert.equal(r.reason, 'ScaleDownStabilized');
  assert.equal(stabilize(h, b, 5, 2, 299 * s).replicas, 5);
  // 300 s after the last 5 it has left the window: the highest left is 2.
  assert.equal(stabilize(h, b, 5, 2, 301 * s).replicas, 2);
});

test('scale-up is not stabilized by default, and is by a scaleUp window', () => {
  const h = fresh();
  stabilize(h, defaults(), 2, 2, 0);
  assert.equal(stabilize(h, defaults(), 2, 6, 10 * s).replicas, 6);
  const b = defaults();
  b.scaleUp.stabilizationWindowSeconds = 60;
  const h2 = fresh();
  stabilize(h2, b, 2, 2, 0);
  const r = stabilize(h2, b, 2, 6, 10 * s);
  assert.deepEqual([r.replicas, r.reason], [2, 'ScaleUpStabilized']);
  assert.equal(stabilize(h2, b, 2, 6, 61 * s).replicas, 6);
});

test('default scale-up rate: the larger of +4 pods and +100% per 15 s', () => {
  const b = defaults();
  assert.deepEqual(limitRate(fresh(), b, 1, 100, 1, 20, 0), { replicas: 5, reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' });
  assert.equal(limitRate(fresh(), b, 1, 100, 10, 50, 0).replicas, 20);
  // Changes made within the period count against it: from 1 to 5 at t=0, so at t=10s the period started at 1.
  const h = fresh();
  recordScale(h, b, 1, 5, 0);
  assert.equal(limitRate(h, b, 1, 100, 5, 20, 10 * s).replicas, 5);
  assert.equal(limitRate(h, b, 1, 100, 5, 20, 16 * s).replicas, 10);
});

test('Pods and Percent policies with selectPolicy Min, Max and Disabled', () => {
  const b = defaults();
  b.scaleUp = { stabilizationWindowSeconds: 0, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }, { type: 'Percent', value: 50, periodSeconds: 60 }] };
  // current 10: Pods allows 12, Percent 15; Min picks 12.
  assert.equal(limitRate(fresh(), b, 1, 100, 10, 30, 0).replicas, 12);
  b.scaleUp.selectPolicy = 'Max';
  assert.equal(limitRate(fresh(), b, 1, 100, 10, 30, 0).replicas, 15);
  b.scaleUp.selectPolicy = 'Disabled';
  assert.equal(limitRate(fresh(), b, 1, 100, 10, 30, 0).replicas, 10);
  b.scaleDown = { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }, { type: 'Percent', value: 50, periodSeconds: 60 }] };
  // current 10 down to 1: Pods allows 9, Percent 5; Max (the biggest change) picks 5, Min picks 9.
  assert.deepEqual([limitRate(fresh(), b, 1, 100, 10, 1, 0).replicas, limitRate(fresh(), b, 1, 100, 10, 1, 0).reason], [5, 'ScaleDownLimit']);
  b.scaleDown.selectPolicy = 'Min';
  assert.equal(limitRate(fresh(), b, 1, 100, 10, 1, 0).replicas, 9);
  b.scaleDown.selectPolicy = 'Disabled';
  assert.equal(limitRate(fresh(), b, 1, 100, 10, 1, 0).replicas, 10);
});

test('maxReplicas and minReplicas bound the result, with their reasons', () => {
  const b = defaults();
  assert.deepEqual(limitRate(fresh(), b, 1, 3, 2, 8, 0), { replicas: 3, reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' });
  assert.deepEqual(limitRate(fresh(), b, 2, 10, 5, 1, 0), { replicas: 2, reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' });
  assert.equal(limitRate(fresh(), b, 1, 10, 5, 7, 0).reason, 'DesiredWithinRange');
});
