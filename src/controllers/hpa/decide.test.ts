import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from './decide.js';
import type { ScaleHistory } from './behavior.js';
import type { HorizontalPodAutoscaler } from '../../api/schema/hpa.js';
import type { PodSample } from './replicas.js';

const hpa = (min: number, max: number, target = 50): HorizontalPodAutoscaler => ({
  apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'default' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: min, maxReplicas: max, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } }] },
});
const pods = (n: number, usage: number): PodSample[] => Array.from({ length: n }, (_, i) => ({ name: `p${i}`, requestMillis: 100, usageMillis: usage, ready: true }));
const fresh = (): ScaleHistory => ({ recommendations: [], up: [], down: [] });

test('a scale-up names the metric in the reason and sets ScalingLimited when max caps it', () => {
  const d = decide(hpa(1, 3), 1, pods(1, 400), fresh(), 0);
  assert.equal(d.desired, 3);
  assert.equal(d.reason, 'cpu resource utilization (percentage of request) above target');
  assert.deepEqual(d.conditions.find((c) => c.type === 'ScalingLimited'), { type: 'ScalingLimited', status: 'True', reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' });
  assert.equal(d.measured?.utilization, 400);
});

test('a target outside min/max is brought inside without reading metrics', () => {
  assert.deepEqual([decide(hpa(2, 5), 8, new Error('no metrics'), fresh(), 0).desired, decide(hpa(2, 5), 8, [], fresh(), 0).reason], [5, 'Current number of replicas above Spec.MaxReplicas']);
  assert.deepEqual([decide(hpa(2, 5), 1, [], fresh(), 0).desired, decide(hpa(2, 5), 1, [], fresh(), 0).reason], [2, 'Current number of replicas below Spec.MinReplicas']);
});

test('a target scaled to zero disables autoscaling', () => {
  const d = decide(hpa(1, 5), 0, pods(0, 0), fresh(), 0);
  assert.equal(d.desired, 0);
  assert.equal(d.conditions[0]?.reason, 'ScalingDisabled');
});

test('metrics that cannot be read keep the count and say why in ScalingActive', () => {
  const d = decide(hpa(1, 5), 2, new Error('missing request for cpu in container main of Pod p0'), fresh(), 0);
  assert.equal(d.desired, 2);
  assert.match(d.error ?? '', /missing request for cpu/);
  assert.deepEqual([d.conditions[0]?.type, d.conditions[0]?.status, d.conditions[0]?.reason], ['ScalingActive', 'False', 'FailedGetResourceMetric']);
});

test('scale-down waits out the stabilization window, then goes to minReplicas at most', () => {
  const h = fresh();
  h.recommendations.push({ at: 0, replicas: 4 });
  const early = decide(hpa(2, 10), 4, pods(4, 1), h, 100_000);
  assert.equal(early.desired, 4);
  assert.equal(early.reason, 'All metrics below target');
  assert.equal(early.conditions.find((c) => c.type === 'AbleToScale')?.reason, 'ScaleDownStabilized');
  const later = decide(hpa(2, 10), 4, pods(4, 1), h, 301_000);
  assert.equal(later.desired, 2);
  assert.equal(later.conditions.find((c) => c.type === 'ScalingLimited')?.reason, 'TooFewReplicas');
});
