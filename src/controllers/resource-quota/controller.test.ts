import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestApi, type TestApi } from '../../testing/api.js';
import { ManualClock } from '../../testing/clock.js';
import { eventually } from '../../testing/eventually.js';
import type { Pod } from '../../api/schema/pod.js';
import type { Job } from '../../api/schema/job.js';
import type { Event } from '../../api/schema/event.js';
import type { ResourceQuota } from '../../api/schema/tenancy.js';
import { JobController } from '../job/index.js';
import { ResourceQuotaController } from './index.js';

const t0 = Date.parse('2026-01-01T00:00:00Z');
const pod = (name: string, ns: string, cpu: string): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns },
  spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu, memory: '64Mi' } } }] },
});
const quota = (name: string, ns: string, hard: Record<string, string>): ResourceQuota => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace: ns }, spec: { hard } });
const statusOf = async (t: TestApi, name: string, ns: string): Promise<ResourceQuota['status']> => (await t.api.get<ResourceQuota>('resourcequotas', name, ns)).status;

describe('resource quota controller', () => {
  let t: TestApi;
  const stops: (() => void)[] = [];
  before(async () => { t = await openTestApi({ prefix: 't3-quotactl-' }); });
  after(async () => { for (const s of stops) s(); await t.close(); });

  test('status.hard and status.used follow the namespace: finished and deleted pods give their share back', async () => {
    const clock = new ManualClock(t0);
    const c = new ResourceQuotaController({ api: t.api, clock, holdMs: 2000, log: () => undefined });
    stops.push(() => c.stop());
    await t.api.create('pods', pod('before', 'ca', '500m')); // made before the quota: counted too
    await t.api.create('resourcequotas', quota('q', 'ca', { 'requests.cpu': '2', pods: '3', 'count/deployments.apps': '1' }));
    await c.reconcile('ca');
    assert.deepEqual(await statusOf(t, 'q', 'ca'), { hard: { 'requests.cpu': '2', pods: '3', 'count/deployments.apps': '1' }, used: { 'count/deployments.apps': '0', pods: '1', 'requests.cpu': '500m' } });
    const done = await t.api.create<Pod>('pods', pod('done', 'ca', '1'));
    await t.api.updateStatus<Pod>('pods', { ...done, status: { phase: 'Succeeded' } });
    await t.api.delete('pods', 'before', 'ca');
    await c.reconcile('ca');
    assert.equal((await statusOf(t, 'q', 'ca'))?.used?.pods, '2', 'a fresh charge is not given back at once (its object may still be on its way to the store)');
    clock.advance(2000);
    await c.reconcile('ca');
    assert.deepEqual((await statusOf(t, 'q', 'ca'))?.used, { 'count/deployments.apps': '0', pods: '0', 'requests.cpu': '0' });
  });

  test('started, it follows pods through the watch', async () => {
    const c = new ResourceQuotaController({ api: t.api, log: () => undefined });
    stops.push(() => c.stop());
    await t.api.create('resourcequotas', quota('w', 'cb', { pods: '5' }));
    await c.start();
    await eventually('quota measured', async () => (await statusOf(t, 'w', 'cb'))?.used?.pods === '0');
    await t.api.create('pods', pod('a', 'cb', '100m'));
    await t.api.delete('pods', 'a', 'cb');
    await t.api.create('pods', pod('b', 'cb', '100m'));
    await t.api.create('pods', pod('c', 'cb', '100m'));
    await eventually('deleted pod given back', async () => (await statusOf(t, 'w', 'cb'))?.used?.pods === '2');
  });

  test('a Job whose pods exceed the quota waits with a FailedCreate event, and goes on when the quota frees', async () => {
    const clock = new ManualClock(t0);
    const quotas = new ResourceQuotaController({ api: t.api, clock, log: () => undefined });
    const jobs = new JobController({ api: t.api, clock, log: () => undefined });
    stops.push(() => quotas.stop(), () => jobs.stop());
    await t.api.create('resourcequotas', quota('batch', 'cj', { pods: '2' }));
    await t.api.create<Job>('jobs', {
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'work', namespace: 'cj' },
      spec: { parallelism: 3, completions: 3, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } } },
    });
    await assert.rejects(jobs.reconcile('cj/work'), /exceeded quota: batch, requested: pods=1, used: pods=2, limited: pods=2/);
    await jobs.idle();
    const pods = (await t.api.list<Pod>('pods', 'cj')).items;
    assert.equal(pods.length, 2, 'two pods within the quota');
    const events = (await t.api.list<Event>('events', 'cj')).items.filter((e) => e.reason === 'FailedCreate');
    assert.match(events[0]?.message ?? '', /^Error creating: pods "work-.*" is forbidden: exceeded quota: batch/);
    const job = await t.api.get<Job>('jobs', 'work', 'cj');
    assert.equal(job.status?.failed ?? 0, 0, 'a refused pod is not a failure of the Job');
    // One pod finishes: the quota controller gives its share back and the Job makes its third pod.
    const first = pods[0];
    assert.ok(first);
    await t.api.updateStatus<Pod>('pods', { ...first, status: { phase: 'Succeeded' } });
    await quotas.reconcile('cj');
    clock.advance(2000);
    await quotas.reconcile('cj');
    await jobs.reconcile('cj/work');
    assert.equal((await t.api.list<Pod>('pods', 'cj')).items.length, 3);
  });
});
