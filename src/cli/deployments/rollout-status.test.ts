import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment } from '../../api/schema/apps.js';
import { rolloutState } from './rollout-status.js';
import { deploymentTarget } from './target.js';

const d = (status: Deployment['status'], generation = 2): Deployment => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', generation },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
  status,
});

test('rollout status prints kubectl\'s messages in kubectl\'s order', () => {
  assert.equal(rolloutState(d({ observedGeneration: 1 })).message, 'Waiting for deployment spec update to be observed...');
  assert.equal(rolloutState(d({ observedGeneration: 2, updatedReplicas: 1, replicas: 4 })).message, 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...');
  assert.equal(rolloutState(d({ observedGeneration: 2, updatedReplicas: 3, replicas: 4, availableReplicas: 3 })).message, 'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...');
  assert.equal(rolloutState(d({ observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 1 })).message, 'Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...');
  const ok = rolloutState(d({ observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 3 }));
  assert.deepEqual(ok, { message: 'deployment "web" successfully rolled out', done: true, failed: false });
  const late = rolloutState(d({ observedGeneration: 2, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }));
  assert.deepEqual(late, { message: 'deployment "web" exceeded its progress deadline', done: true, failed: true });
});

test('deployment targets: deployment/NAME, deploy NAME and a bare NAME; other kinds are refused', () => {
  assert.deepEqual(deploymentTarget(['deployment/web', 'x=y'], 'set image'), { name: 'web', rest: ['x=y'] });
  assert.deepEqual(deploymentTarget(['deploy', 'web'], 'scale'), { name: 'web', rest: [] });
  assert.deepEqual(deploymentTarget(['web'], 'scale'), { name: 'web', rest: [] });
  assert.throws(() => deploymentTarget(['pod/web'], 'scale'), /works on deployments/);
});
