import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment } from '../schema/apps.js';
import { scaleOf, withReplicas } from './scale.js';
import { kinds } from './index.js';

const scale = kinds.get('deployments')!.subresources.scale!;
const d: Deployment = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '7' },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] }, template: { spec: { containers: [{ name: 'c', image: 'x' }] } } },
  status: { replicas: 2 },
};

test('the Scale of a Deployment: desired and observed replicas, and its selector in text form', () => {
  assert.deepEqual(scaleOf(scale, d), {
    apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '7', creationTimestamp: undefined },
    spec: { replicas: 3 }, status: { replicas: 2, selector: 'app=web,tier notin (db)' },
  });
  const bare = { ...d, spec: { ...d.spec, replicas: undefined }, status: undefined };
  assert.deepEqual([scaleOf(scale, bare).spec.replicas, scaleOf(scale, bare).status?.replicas], [1, 0]);
});

test('withReplicas sets the desired replicas on a copy', () => {
  const next = withReplicas(scale, d, 5);
  assert.equal(next.spec.replicas, 5);
  assert.equal(d.spec.replicas, 3);
  assert.deepEqual(next.spec.selector, d.spec.selector);
});
