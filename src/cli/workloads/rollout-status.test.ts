import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StatefulSet } from '../../api/schema/statefulset.js';
import type { DaemonSet } from '../../api/schema/daemonset.js';
import { daemonSetRolloutState, statefulSetRolloutState } from './rollout-status.js';

const sts = (spec: Partial<StatefulSet['spec']>, status: StatefulSet['status'], generation = 1): StatefulSet => ({
  apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', generation },
  spec: { replicas: 3, selector: {}, template: { spec: { containers: [] } }, ...spec }, status,
});
const ds = (status: DaemonSet['status'], strategy?: DaemonSet['spec']['updateStrategy']): DaemonSet => ({
  apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', generation: 1 },
  spec: { selector: {}, template: { spec: { containers: [] } }, ...(strategy ? { updateStrategy: strategy } : {}) }, status,
});

test('statefulset rollout status says what kubectl says', () => {
  assert.equal(statefulSetRolloutState(sts({}, undefined)).message, 'Waiting for statefulset spec update to be observed...');
  assert.equal(statefulSetRolloutState(sts({}, { observedGeneration: 1, replicas: 3, readyReplicas: 1 })).message, 'Waiting for 2 pods to be ready...');
  const rolling = statefulSetRolloutState(sts({}, { observedGeneration: 1, replicas: 3, readyReplicas: 3, updatedReplicas: 1, currentRevision: 'web-a', updateRevision: 'web-b' }));
  assert.deepEqual(rolling, { message: 'waiting for statefulset rolling update to complete 1 pods at revision web-b...', done: false, failed: false });
  const done = statefulSetRolloutState(sts({}, { observedGeneration: 1, replicas: 3, readyReplicas: 3, currentReplicas: 3, currentRevision: 'web-b', updateRevision: 'web-b' }));
  assert.deepEqual(done, { message: 'statefulset rolling update complete 3 pods at revision web-b...', done: true, failed: false });
  const part = statefulSetRolloutState(sts({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }, { observedGeneration: 1, replicas: 3, readyReplicas: 3, updatedReplicas: 1 }));
  assert.deepEqual(part, { message: 'partitioned roll out complete: 1 new pods have been updated...', done: true, failed: false });
  assert.equal(statefulSetRolloutState(sts({ updateStrategy: { type: 'OnDelete' } }, undefined)).failed, true);
});

test('daemonset rollout status says what kubectl says', () => {
  const base = { currentNumberScheduled: 3, numberMisscheduled: 0, desiredNumberScheduled: 3, numberReady: 3, observedGeneration: 1 };
  assert.equal(daemonSetRolloutState(ds({ ...base, updatedNumberScheduled: 1 })).message, 'Waiting for daemon set "agent" rollout to finish: 1 out of 3 new pods have been updated...');
  assert.equal(daemonSetRolloutState(ds({ ...base, updatedNumberScheduled: 3, numberAvailable: 2 })).message, 'Waiting for daemon set "agent" rollout to finish: 2 of 3 updated pods are available...');
  assert.deepEqual(daemonSetRolloutState(ds({ ...base, updatedNumberScheduled: 3, numberAvailable: 3 })), { message: 'daemon set "agent" successfully rolled out', done: true, failed: false });
  assert.equal(daemonSetRolloutState(ds(base, { type: 'OnDelete' })).message, 'rollout status is only available for RollingUpdate strategy type');
});
