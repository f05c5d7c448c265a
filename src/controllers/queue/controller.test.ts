/**
 * The queue controller against the in-process API over a real SQLite store, with fake nodes (Node
 * objects with allocatable) and a clock the test moves by hand; the test plays the Job controller's
 * part only as far as marking Jobs finished.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openTestApi, type TestApi } from '../../testing/api.js';
import { ManualClock } from '../../testing/clock.js';
import { QueueController } from './index.js';
import type { Node } from '../../api/node.js';
import type { Job } from '../../api/schema/job.js';
import type { Queue, QueueSpec } from '../../api/schema/queue.js';

let t: TestApi;
let api: TestApi['api'];
/** Near the wall clock: the backfill window compares it with creationTimestamp, which the API sets from the wall clock. */
let clock = new ManualClock(Date.now());

before(async () => {
  t = await openTestApi({ prefix: 'lantern-queue-' });
  api = t.api;
});
after(() => t.close());

async function nodes(prefix: string, count: number, cpu: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const n = await api.create<Node>('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: `${prefix}-${i}` } });
    await api.updateStatus('nodes', { ...n, status: { allocatable: { cpu: String(cpu), memory: '16Gi' }, conditions: [{ type: 'Ready', status: 'True' }] } });
  }
}
async function dropNodes(prefix: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await api.delete('nodes', `${prefix}-${i}`);
}
const queue = (name: string, spec: QueueSpec): Promise<Queue> => api.create<Queue>('queues', { apiVersion: 'lantern.dev/v1', kind: 'Queue', metadata: { name }, spec });
const job = (name: string, q: string, cpu: number, ns = 'default'): Promise<Job> => api.create<Job>('jobs', {
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: ns, labels: { 'lantern.dev/queue-name': q } },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', resources: { requests: { cpu: String(cpu), memory: '64Mi' } } }] } } },
});
const get = (name: string, ns = 'default'): Promise<Job> => api.get<Job>('jobs', name, ns);
async function finish(name: string, ns = 'default'): Promise<void> {
  const j = await get(name, ns);
  await api.updateStatus('jobs', { ...j, status: { ...j.status, conditions: [{ type: 'Complete', status: 'True' }] } });
}
async function running(ns: string): Promise<string[]> {
  return (await api.list<Job>('jobs', ns)).items.filter((j) => j.spec.suspend === false && !j.status?.conditions?.length).map((j) => j.metadata.name);
}

test('two queues weighted 1:2 get the cluster 1:2, pass after pass, and wait with a reason', async () => {
  await nodes('fair', 3, 4);
  await api.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fair' } }).catch(() => undefined);
  await queue('light', { weight: 1 });
  await queue('heavy', { weight: 2 });
  for (let i = 0; i < 34; i++) { if (i < 17) await job(`l${i}`, 'light', 1, 'fair'); await job(`h${i}`, 'heavy', 1, 'fair'); }
  assert.equal((await get('l0', 'fair')).spec.suspend, true, 'a queued Job is created suspended');
  const c = new QueueController({ api, clock, log: () => undefined });
  let light = 0;
  let heavy = 0;
  for (let round = 0; round < 4; round++) {
    await c.reconcile();
    const names = await running('fair');
    assert.equal(names.filter((n) => n.startsWith('l')).length, 4, `round ${round}`);
    assert.equal(names.filter((n) => n.startsWith('h')).length, 8, `round ${round}`);
    light += 4; heavy += 8;
    const reasons = (await api.list<Job>('jobs', 'fair')).items.map((j) => j.metadata.annotations?.['lantern.dev/queue-waiting'] ?? '');
    assert.ok(reasons.includes('queue light: cluster full (cpu 12/12 in use, the job needs 1); 0 jobs ahead'), reasons.join('\n'));
    if (round < 3) assert.ok(reasons.some((r) => /^queue heavy: waiting behind fair\/h\d+; 2 jobs ahead$/.test(r)));
    assert.ok((await get(names[0]!, 'fair')).metadata.annotations?.['lantern.dev/admitted-at']);
    const hq = await api.get<Queue>('queues', 'heavy');
    assert.deepEqual([hq.status?.admitted, hq.status?.allocated?.cpu, hq.status?.deservedShare], [8, '8', 0.667]);
    for (const n of names) await finish(n, 'fair');
    clock.advance(1000);
  }
  assert.deepEqual([light, heavy], [16, 32]);
  for (const j of (await api.list<Job>('jobs', 'fair')).items) await api.delete('jobs', j.metadata.name, 'fair');
  await dropNodes('fair', 3);
});

test('a queue borrows its cohort\'s idle quota, and the lender reclaims it by suspending the newest borrowed job', async () => {
  await nodes('co', 2, 4);
  await queue('lender', { quota: { cpu: '4' }, cohort: 'research' });
  await queue('borrower', { quota: { cpu: '4' }, cohort: 'research' });
  const c = new QueueController({ api, clock, log: () => undefined });
  await job('own', 'borrower', 4);
  await c.reconcile();
  clock.advance(1000);
  await job('borrowed', 'borrower', 4);
  const r1 = await c.reconcile();
  assert.deepEqual(r1.admitted, ['default/borrowed']);
  assert.equal((await api.get<Queue>('queues', 'borrower')).status?.borrowing, true);

  clock.advance(1000);
  await job('mine', 'lender', 4);
  const r2 = await c.reconcile();
  assert.deepEqual([r2.preempted, r2.admitted], [['default/borrowed'], ['default/mine']]);
  const back = await get('borrowed');
  assert.equal(back.spec.suspend, true, 'the borrowed job is suspended (back to pending)');
  assert.equal(back.metadata.annotations?.['lantern.dev/admitted-at'], undefined);
  assert.match(back.metadata.annotations?.['lantern.dev/queue-waiting'] ?? '', /queue lender reclaims its quota for default\/mine/);
  assert.equal((await get('own')).spec.suspend, false, 'the job within the borrower\'s own quota keeps running');

  // When the lender's job ends, the borrower borrows again.
  await finish('mine');
  const r3 = await c.reconcile();
  assert.deepEqual(r3.admitted, ['default/borrowed']);
  for (const n of ['own', 'borrowed']) await finish(n);
  await dropNodes('co', 2);
});

test('a small job is backfilled while a large one waits, until the large one has waited the backfill window', async () => {
  await nodes('bf', 2, 4);
  await queue('batch', {});
  clock = new ManualClock(Date.now());
  const c = new QueueController({ api, clock, backfillWindowMs: 60_000, log: () => undefined });
  await job('wide', 'batch', 6);
  await c.reconcile();
  await job('large', 'batch', 4);
  await job('small', 'batch', 2);
  const r = await c.reconcile();
  assert.deepEqual(r.admitted, ['default/small']);
  const large = await get('large');
  assert.equal(large.spec.suspend, true);
  assert.match(large.metadata.annotations?.['lantern.dev/queue-waiting'] ?? '', /^queue batch: cluster full \(cpu 8\/8 in use, the job needs 4\); 0 jobs ahead$/);

  await finish('small');
  clock.advance(120_000);
  await job('small2', 'batch', 2);
  const r2 = await c.reconcile();
  assert.deepEqual(r2.admitted, [], 'the head has waited past the window: its room is kept');
  assert.match((await get('small2')).metadata.annotations?.['lantern.dev/queue-waiting'] ?? '', /waiting behind default\/large; 1 job ahead/);
  await finish('wide');
  const r3 = await c.reconcile();
  assert.deepEqual(r3.admitted.sort(), ['default/large', 'default/small2']);
});

test('a reclaim whose suspension loses a write race admits nothing in that pass, so quotas hold', async () => {
  await nodes('race', 2, 4);
  await queue('race-lender', { quota: { cpu: '4' }, cohort: 'race' });
  await queue('race-borrower', { quota: { cpu: '2' }, cohort: 'race' });
  // The API as the controller sees it, except that the first suspension of the victim is preceded by a
  // change to its spec (as a user editing it at that moment), so that write conflicts for real.
  let raced = false;
  const racing = new Proxy(api, {
    get(target, prop, receiver) {
      if (prop !== 'update') return Reflect.get(target, prop, receiver) as unknown;
      return async (resource: string, obj: Job, opts?: object) => {
        if (!raced && resource === 'jobs' && obj.metadata.name === 'victim' && obj.spec.suspend === true) {
          raced = true;
          const now = await target.get<Job>('jobs', 'victim');
          await target.update('jobs', { ...now, spec: { ...now.spec, activeDeadlineSeconds: 3600 } });
        }
        return target.update(resource, obj, opts);
      };
    },
  });
  const c = new QueueController({ api: racing, clock, log: () => undefined });
  await job('victim', 'race-borrower', 5);
  assert.deepEqual((await c.reconcile()).admitted, ['default/victim'], 'the borrower borrows 3 of the lender\'s cpus');
  clock.advance(1000);
  await job('owner', 'race-lender', 4);
  const r = await c.reconcile();
  assert.deepEqual([r.preempted, r.admitted], [[], []], 'the suspension conflicted, so the owner is not admitted on top of it');
  assert.equal((await get('owner')).spec.suspend, true);
  assert.equal((await get('victim')).spec.suspend, false);
  // The next pass, on fresh reads, reclaims and admits.
  const again = await c.reconcile();
  assert.deepEqual([again.preempted, again.admitted], [['default/victim'], ['default/owner']]);
  for (const n of ['victim', 'owner']) await finish(n);
  await dropNodes('race', 2);
});

test('started, the controller admits from its watches: Jobs are listed once, not on every pass', async () => {
  await nodes('w', 1, 4);
  await queue('watched', { weight: 1, quota: { cpu: '2' } });
  let jobLists = 0;
  const counting = new Proxy(api, {
    get(target, prop, receiver) {
      if (prop !== 'list') return Reflect.get(target, prop, receiver) as unknown;
      return (resource: string, ...rest: unknown[]) => {
        if (resource === 'jobs') jobLists++;
        return (target.list as (...a: unknown[]) => unknown)(resource, ...rest);
      };
    },
  });
  const c = new QueueController({ api: counting, clock, log: () => undefined, resyncMs: 50 });
  c.start();
  try {
    for (let i = 0; i < 3; i++) await job(`w${i}`, 'watched', 1);
    const admitted = async (): Promise<string[]> => (await api.list<Job>('jobs')).items.filter((j) => /^w[0-9]$/.test(j.metadata.name) && j.spec.suspend === false).map((j) => j.metadata.name).sort();
    for (let i = 0; i < 200 && (await admitted()).length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(await admitted(), ['w0', 'w1'], 'two 1-cpu Jobs fit the 2-cpu quota; the third waits');
    await finish('w0');
    for (let i = 0; i < 200 && !(await admitted()).includes('w2'); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok((await admitted()).includes('w2'), 'a finished Job\'s room goes to the waiting one');
    assert.equal(jobLists, 1, 'passes read the watched Jobs, not a list each');
  } finally {
    c.stop();
    for (const n of ['w0', 'w1', 'w2']) await finish(n);
    await dropNodes('w', 1);
  }
});
