import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../errors.js';
import { checkV1, fromV2, toV2 } from './hpa-v1.js';
import type { HorizontalPodAutoscaler } from '../schema/hpa.js';

const v1 = checkV1({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 50 } });

test('v1 -> v2 -> v1 keeps what v1 says; no target is Kubernetes\' 80%', () => {
  const v2 = toV2(v1);
  assert.deepEqual(v2.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }]);
  assert.deepEqual(fromV2(v2).spec, v1.spec);
  const bare = toV2(checkV1({ metadata: { name: 'x' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'x' }, maxReplicas: 2 } }));
  assert.equal(bare.spec.metrics?.[0]?.resource.target.averageUtilization, 80);
});

test('an update through v1 keeps v2\'s behavior and status', () => {
  const stored: HorizontalPodAutoscaler = { ...toV2(v1), spec: { ...toV2(v1).spec, behavior: { scaleDown: { stabilizationWindowSeconds: 30 } } }, status: { desiredReplicas: 2, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 42 } } }] } };
  const next = toV2({ ...v1, spec: { ...v1.spec, maxReplicas: 5 } }, stored);
  assert.equal(next.spec.maxReplicas, 5);
  assert.deepEqual(next.spec.behavior, { scaleDown: { stabilizationWindowSeconds: 30 } });
  assert.equal(fromV2(next).status?.currentCPUUtilizationPercentage, 42);
});

test('a bad v1 body names its fields', () => {
  assert.throws(() => checkV1({ metadata: { name: 'x' }, spec: { scaleTargetRef: { kind: 'Deployment' }, maxReplicas: 0, metrics: [] } }), (e: unknown) => {
    assert.ok(e instanceof ApiError && e.code === 'Invalid');
    assert.deepEqual(e.details?.causes?.map((c) => c.field).sort(), ['spec.maxReplicas', 'spec.metrics', 'spec.scaleTargetRef']);
    return true;
  });
});
