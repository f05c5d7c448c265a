import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HorizontalPodAutoscaler } from '../../api/schema/hpa.js';
import type { Event } from '../../api/schema/event.js';
import { hpaDescriber, hpaTable } from '../../api/printers/hpa.js';
import { describeText } from '../../api/printers/describe.js';
import { kindTable } from './kind-table.js';
import { autoscaleTarget } from '../commands/autoscale.js';

const now = Date.parse('2026-01-01T01:00:00Z');
const hpa = (current?: number): HorizontalPodAutoscaler => ({
  apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] },
  ...(current === undefined ? {} : {
    status: {
      currentReplicas: 2, desiredReplicas: 2,
      currentMetrics: [{ type: 'Resource' as const, resource: { name: 'cpu', current: { averageUtilization: current, averageValue: '45m' } } }],
      conditions: [{ type: 'AbleToScale', status: 'True' as const, reason: 'ReadyForNewScale', message: 'recommended size matches current size' }],
    },
  }),
});

test('get hpa prints kubectl\'s columns with TARGETS as current/target', () => {
  const t = kindTable(hpaTable, [hpa(45), { ...hpa(), metadata: { ...hpa().metadata, name: 'new' } }], { wide: false, namespaces: false, labels: false }, now);
  assert.deepEqual(t.header, ['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE']);
  assert.deepEqual(t.rows[0], ['web', 'Deployment/web', 'cpu: 45%/70%', '1', '5', '2', '60m']);
  assert.deepEqual(t.rows[1]?.slice(2, 3), ['cpu: <unknown>/70%']);
});

test('describe hpa shows the metric, the bounds, the conditions and the events', () => {
  const events: Event[] = [{ apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' }, involvedObject: { kind: 'HorizontalPodAutoscaler', name: 'web' }, type: 'Normal', reason: 'SuccessfulRescale', message: 'New size: 2; reason: cpu resource utilization (percentage of request) above target', lastTimestamp: '2026-01-01T00:59:00Z', source: { component: 'horizontal-pod-autoscaler' } }];
  const text = describeText(hpaDescriber, hpa(45), { now, related: { events } });
  assert.match(text, /Reference:\s+Deployment\/web\n/);
  assert.match(text, /resource cpu on pods {2}\(as a percentage of request\):\s+45% \(45m\) \/ 70%\n/);
  assert.match(text, /Deployment pods:\s+2 current \/ 2 desired\n/);
  assert.match(text, /AbleToScale\s+True\s+ReadyForNewScale\s+recommended size matches current size\n/);
  assert.match(text, /Normal\s+SuccessfulRescale\s+60s\s+horizontal-pod-autoscaler\s+New size: 2; reason: cpu resource/);
});

test('autoscale takes deployment/NAME or deployment NAME, and refuses kinds it cannot scale', () => {
  assert.deepEqual(autoscaleTarget(['deployment/web']), { resource: 'deployments', name: 'web' });
  assert.deepEqual(autoscaleTarget(['deploy', 'web']), { resource: 'deployments', name: 'web' });
  assert.deepEqual(autoscaleTarget(['rs/web-1']), { resource: 'replicasets', name: 'web-1' });
  assert.throws(() => autoscaleTarget(['pod/web']), /cannot autoscale "pod": lcctl autoscale works on deployments and replicasets/);
  assert.throws(() => autoscaleTarget(['deployment']), /requires the Deployment's name/);
});
