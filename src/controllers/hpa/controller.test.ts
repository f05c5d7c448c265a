/**
 * The HorizontalPodAutoscaler controller against the in-process API over a real SQLite store, with a
 * clock the test moves by hand and a metrics source the test sets: every step is one sync pass.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openTestApi, type TestApi } from '../../testing/api.js';
import { ManualClock } from '../../testing/clock.js';
import { HpaController } from './index.js';
import type { Pod } from '../../api/pod.js';
import type { Deployment } from '../../api/schema/apps.js';
import type { Event } from '../../api/schema/event.js';
import type { HorizontalPodAutoscaler } from '../../api/schema/hpa.js';

let t: TestApi;
let api: TestApi['api'];
const t0 = Date.parse('2026-01-01T00:00:00Z');
const clock = new ManualClock(t0);
/** Move the clock forward to the time ms. */
const moveTo = (ms: number): void => clock.advance(ms - clock.now());
/** What the fake metrics source reports: millicores by pod name. */
const usage = new Map<string, number>();

before(async () => {
  t = await openTestApi({ prefix: 'lantern-hpa-' });
  api = t.api;
});
after(() => t.close());

async function deployment(name: string, cpu?: string): Promise<void> {
  const resources = cpu ? { requests: { cpu } } : undefined;
  await api.create<Deployment>('deployments', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'busybox', ...(resources ? { resources } : {}) }] } } },
  });
}

/** Stand in for the ReplicaSet controller: make the Deployment's running, ready pods number spec.replicas. */
async function followReplicas(name: string, cpu: string | undefined, millis: number): Promise<number> {
  const want = (await api.get<Deployment>('deployments', name, 'default')).spec.replicas ?? 1;
  const have = (await api.list<Pod>('pods', 'default', { labelSelector: `app=${name}` })).items;
  for (let i = have.length; i < want; i++) {
    const pod = await api.create<Pod>('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: `${name}-${i}`, namespace: 'default', labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'busybox', ...(cpu ? { resources: { requests: { cpu } } } : {}) }] } });
    await api.updateStatus<Pod>('pods', { ...pod, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } });
  }
  for (const p of have.slice(want)) await api.delete('pods', p.metadata.name, 'default', { gracePeriodSeconds: 0 });
  const pods = (await api.list<Pod>('pods', 'default', { labelSelector: `app=${name}` })).items;
  for (const p of pods) usage.set(p.metadata.name, millis);
  return pods.length;
}

async function autoscaler(name: string, min: number, max: number, cpuPercent: number): Promise<void> {
  await api.create<HorizontalPodAutoscaler>('horizontalpodautoscalers', {
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name, namespace: 'default' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, minReplicas: min, maxReplicas: max, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpuPercent } } }] },
  });
}

const replicas = async (name: string): Promise<number | undefined> => (await api.get<Deployment>('deployments', name, 'default')).spec.replicas;
const hpaStatus = async (name: string) => (await api.get<HorizontalPodAutoscaler>('horizontalpodautoscalers', name, 'default')).status;
const condition = async (name: string, type: string): Promise<string> => {
  const c = (await hpaStatus(name))?.conditions?.find((x) => x.type === type);
  return `${c?.status ?? ''}/${c?.reason ?? ''}`;
};
const rescales = async (name: string): Promise<string[]> => (await api.list<Event>('events', 'default')).items
  .filter((e) => e.involvedObject.name === name && e.reason === 'SuccessfulRescale').map((e) => e.message ?? '').sort();

test('replicas follow CPU load up at once, and come down only after the 5 minute stabilization window', async () => {
  const hpa = new HpaController({ api, clock, metrics: async () => usage, log: () => undefined });
  await deployment('web', '100m');
  await autoscaler('web', 1, 5, 50);
  await followReplicas('web', '100m', 150);

  // One pod at 150% of its request against 50%: 3 pods.
  await hpa.syncAll();
  assert.equal(await replicas('web'), 3);
  assert.deepEqual(await rescales('web'), ['New size: 3; reason: cpu resource utilization (percentage of request) above target']);
  let status = await hpaStatus('web');
  assert.equal(status?.currentReplicas, 1);
  assert.equal(status?.desiredReplicas, 3);
  assert.equal(status?.currentMetrics?.[0]?.resource.current.averageUtilization, 150);
  assert.equal(status?.lastScaleTime, new Date(t0).toISOString());
  assert.equal(await condition('web', 'AbleToScale'), 'True/SucceededRescale');
  assert.equal(await condition('web', 'ScalingActive'), 'True/ValidMetricFound');

  // Three pods at 100%: 6 wanted, maxReplicas caps it at 5.
  moveTo(t0 + 15_000);
  assert.equal(await followReplicas('web', '100m', 100), 3);
  await hpa.syncAll();
  assert.equal(await replicas('web'), 5);
  assert.equal(await condition('web', 'ScalingLimited'), 'True/TooManyReplicas');

  // The load goes away: the recommendation is 1, but the window still holds 6 from 15 s.
  moveTo(t0 + 30_000);
  assert.equal(await followReplicas('web', '100m', 5), 5);
  await hpa.syncAll();
  assert.equal(await replicas('web'), 5);
  assert.equal(await condition('web', 'AbleToScale'), 'True/ScaleDownStabilized');
  assert.equal((await hpaStatus('web'))?.currentMetrics?.[0]?.resource.current.averageUtilization, 5);
  moveTo(t0 + 314_000);
  await hpa.syncAll();
  assert.equal(await replicas('web'), 5);

  // 300 s after the last high recommendation it has left the window: down to minReplicas.
  moveTo(t0 + 316_000);
  await hpa.syncAll();
  assert.equal(await replicas('web'), 1);
  assert.ok((await rescales('web')).includes('New size: 1; reason: All metrics below target'));
  status = await hpaStatus('web');
  assert.equal(status?.desiredReplicas, 1);
  assert.equal(await condition('web', 'ScalingLimited'), 'False/DesiredWithinRange');
});

test('pods without a cpu request cannot be autoscaled, and the status and an event say so', async () => {
  const hpa = new HpaController({ api, clock, metrics: async () => usage, log: () => undefined });
  await deployment('norequest');
  await autoscaler('norequest', 1, 4, 50);
  await followReplicas('norequest', undefined, 500);
  await hpa.syncAll();
  assert.equal(await replicas('norequest'), 1);
  assert.equal(await condition('norequest', 'ScalingActive'), 'False/FailedGetResourceMetric');
  const warnings = (await api.list<Event>('events', 'default')).items.filter((e) => e.involvedObject.name === 'norequest' && e.reason === 'FailedGetResourceMetric');
  assert.match(warnings[0]?.message ?? '', /missing request for cpu in container main of Pod norequest-0/);
});

test('the API validates autoscalers with field paths and fills in Kubernetes\' defaults', async () => {
  await assert.rejects(api.create<HorizontalPodAutoscaler>('horizontalpodautoscalers', {
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'bad', namespace: 'default' },
    spec: { scaleTargetRef: { kind: 'Pod', name: 'x' }, minReplicas: 5, maxReplicas: 2 },
  }), (e: Error) => /spec\.maxReplicas/.test(e.message) && /spec\.scaleTargetRef\.kind/.test(e.message));
  const h = await api.create<HorizontalPodAutoscaler>('horizontalpodautoscalers', {
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'defaults', namespace: 'default' },
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'x' }, maxReplicas: 3, behavior: { scaleDown: { stabilizationWindowSeconds: 10 } } },
  });
  assert.equal(h.spec.minReplicas, 1);
  assert.equal(h.spec.metrics?.[0]?.resource.target.averageUtilization, 80);
  assert.deepEqual(h.spec.behavior?.scaleDown, { stabilizationWindowSeconds: 10, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });
  assert.equal(h.spec.behavior?.scaleUp?.stabilizationWindowSeconds, 0);
});
