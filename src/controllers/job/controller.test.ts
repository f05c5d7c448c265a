/**
 * The Job controller against the in-process API over a real SQLite store, with a clock the test moves
 * by hand. The test plays the kubelet: it sets pod phases and exit codes; every step is one reconcile.
 */
import { test, before, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import { openTestApi, type TestApi } from '../../testing/api.js';
import { ManualClock } from '../../testing/clock.js';
import { JobController } from './index.js';
import type { Pod } from '../../api/pod.js';
import type { Job } from '../../api/schema/job.js';
import type { Event } from '../../api/schema/event.js';

let t: TestApi;
let api: TestApi['api'];
const t0 = Date.parse('2026-01-01T00:00:00Z');
/** Each test starts its own clock at t0 (beforeEach). */
let clock = new ManualClock(t0);
/** Move the clock forward to the time ms. */
const moveTo = (ms: number): void => clock.advance(ms - clock.now());
const made: JobController[] = [];
/** A controller driven by hand; its wake-up timers are stopped after the tests. */
const controller = (): JobController => {
  const c = new JobController({ api, clock, backoffMs: 10_000, backoffMaxMs: 60_000, log: () => undefined });
  made.push(c);
  return c;
};

before(async () => { t = await openTestApi({ prefix: 'lantern-job-' }); api = t.api; });
beforeEach(() => { clock = new ManualClock(t0); });
after(async () => { for (const c of made) c.stop(); await t.close(); });

async function createJob(name: string, spec: Partial<Job['spec']>): Promise<Job> {
  return api.create<Job>('jobs', {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['true'] }] } }, ...spec },
  });
}
const getJob = (name: string): Promise<Job> => api.get<Job>('jobs', name, 'default');
async function podsOf(name: string): Promise<Pod[]> {
  return (await api.list<Pod>('pods', 'default', { labelSelector: `batch.kubernetes.io/job-name=${name}` })).items;
}
const running = async (name: string): Promise<Pod[]> => (await podsOf(name)).filter((p) => (p.status?.phase === 'Pending' || p.status?.phase === 'Running') && !p.metadata.deletionTimestamp);
/** Play the kubelet: the pod's container exits with code. */
async function finish(pod: Pod, exitCode: number, conditions: { type: string; status: 'True' | 'False' }[] = []): Promise<void> {
  const p = await api.get<Pod>('pods', pod.metadata.name, 'default');
  await api.updateStatus<Pod>('pods', { ...p, status: { ...p.status, phase: exitCode === 0 ? 'Succeeded' : 'Failed', conditions, containerStatuses: [{ name: 'main', ready: false, restartCount: 0, image: 'busybox', state: { terminated: { exitCode, finishedAt: new Date(clock.now()).toISOString() } } }] } });
}
/** A controller driven by hand over a new Job, after its first pass. */
async function startJob(name: string, spec: Partial<Job['spec']>): Promise<JobController> {
  const c = controller();
  await createJob(name, spec);
  await c.reconcile(`default/${name}`);
  return c;
}
/** The Job's first running pod exits with code, then a pass of c. */
async function finishFirst(c: JobController, name: string, code: number): Promise<void> {
  await finish((await running(name))[0]!, code);
  await c.reconcile(`default/${name}`);
}
const cond = (j: Job, type: string): string | undefined => {
  const c = j.status?.conditions?.find((x) => x.type === type);
  return c ? `${c.status}/${c.reason ?? ''}` : undefined;
};

test('completions 3, parallelism 2: two pods at a time, owned by the Job, until three succeed; then Complete', async () => {
  const c = await startJob('three', { completions: 3, parallelism: 2, minAvailable: 2 });
  let pods = await running('three');
  assert.equal(pods.length, 2);
  const ref = pods[0]!.metadata.ownerReferences?.[0];
  assert.equal(ref?.kind, 'Job');
  assert.equal(ref?.controller, true);
  assert.match(pods[0]!.metadata.name, /^three-[a-z0-9]{5}$/);
  assert.equal(pods[0]!.metadata.labels?.['batch.kubernetes.io/controller-uid'], (await getJob('three')).metadata.uid);
  assert.equal(pods[0]!.metadata.annotations?.['scheduling.lantern.dev/group'], 'three');
  assert.equal(pods[0]!.metadata.annotations?.['scheduling.lantern.dev/group-min-available'], '2');
  assert.equal((await getJob('three')).status?.active, 2);

  await finish(pods[0]!, 0);
  await c.reconcile('default/three');
  pods = await running('three');
  assert.equal(pods.length, 2, 'two remain to do, so two run');
  await finish(pods[0]!, 0);
  await c.reconcile('default/three');
  pods = await running('three');
  assert.equal(pods.length, 1, 'one remains to do: active = min(parallelism, remaining)');
  await finish(pods[0]!, 0);
  await c.reconcile('default/three');
  await c.reconcile('default/three');
  const j = await getJob('three');
  assert.equal(j.status?.succeeded, 3);
  assert.equal(j.status?.active, 0);
  assert.equal(cond(j, 'Complete'), 'True/CompletionsReached');
  assert.ok(j.status?.completionTime);
  assert.equal((await podsOf('three')).length, 3, 'finished pods are kept for their logs');
  await c.idle();
  const events = (await api.list<Event>('events', 'default')).items.filter((e) => e.involvedObject.name === 'three');
  assert.ok(events.some((e) => e.reason === 'Completed'));
});

test('Indexed: every index succeeds exactly once, a failed index is retried after the back-off with its index', async () => {
  const c = await startJob('idx', { completions: 3, parallelism: 2, completionMode: 'Indexed' });
  let pods = await running('idx');
  const indexOf = (p: Pod): string | undefined => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'];
  assert.deepEqual(pods.map(indexOf).sort(), ['0', '1']);
  const p0 = pods.find((p) => indexOf(p) === '0')!;
  assert.match(p0.metadata.name, /^idx-0-[a-z0-9]{5}$/);
  assert.equal(p0.spec.hostname, 'idx-0');
  assert.deepEqual(p0.spec.containers[0]!.env, [{ name: 'JOB_COMPLETION_INDEX', value: '0' }]);

  await finish(p0, 1);
  await finish(pods.find((p) => indexOf(p) === '1')!, 0);
  await c.reconcile('default/idx');
  pods = await running('idx');
  assert.deepEqual(pods.map(indexOf), [], 'inside the back-off no pod is made');
  moveTo(t0 + 10_000);
  await c.reconcile('default/idx');
  pods = await running('idx');
  assert.deepEqual(pods.map(indexOf).sort(), ['0', '2'], 'index 0 again, and index 2; never index 1 again');
  assert.equal(pods.find((p) => indexOf(p) === '0')!.metadata.annotations?.['batch.kubernetes.io/job-index-failure-count'], '1');
  for (const p of pods) await finish(p, 0);
  await c.reconcile('default/idx');
  const j = await getJob('idx');
  assert.equal(j.status?.completedIndexes, '0-2');
  assert.equal(j.status?.succeeded, 3);
  assert.equal(j.status?.failed, 1);
  assert.equal(cond(j, 'Complete'), 'True/CompletionsReached');
  const okByIndex = (await podsOf('idx')).filter((p) => p.status?.phase === 'Succeeded').map(indexOf).sort();
  assert.deepEqual(okByIndex, ['0', '1', '2']);
});

test('backoffLimit: the back-off doubles, and one failure more than the limit fails the Job with BackoffLimitExceeded', async () => {
  const c = await startJob('flaky', { backoffLimit: 1 });
  await finishFirst(c, 'flaky', 1);
  moveTo(t0 + 9_000);
  await c.reconcile('default/flaky');
  assert.equal((await running('flaky')).length, 0, 'first back-off is 10 s');
  moveTo(t0 + 10_000);
  await c.reconcile('default/flaky');
  const second = await running('flaky');
  assert.equal(second.length, 1);
  await finish(second[0]!, 2);
  await c.reconcile('default/flaky');
  const j = await getJob('flaky');
  assert.equal(j.status?.failed, 2);
  assert.equal(cond(j, 'Failed'), 'True/BackoffLimitExceeded');
  moveTo(t0 + 100_000);
  await c.reconcile('default/flaky');
  assert.equal((await running('flaky')).length, 0, 'a failed Job makes no more pods');
});

test('podFailurePolicy: Ignore does not count, FailJob fails the Job at once and stops its other pods', async () => {
  const c = controller();
  await createJob('policy', {
    completions: 4, parallelism: 2, backoffLimit: 6,
    podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }, { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] },
  });
  await c.reconcile('default/policy');
  let pods = await running('policy');
  await finish(pods[0]!, 137, [{ type: 'DisruptionTarget', status: 'True' }]);
  await c.reconcile('default/policy');
  let j = await getJob('policy');
  assert.equal(j.status?.failed, 0, 'an ignored failure is not counted');
  pods = await running('policy');
  assert.equal(pods.length, 2, 'and is replaced without back-off');
  await finish(pods[0]!, 42);
  await c.reconcile('default/policy');
  j = await getJob('policy');
  assert.equal(cond(j, 'Failed'), 'True/PodFailurePolicy');
  assert.match(j.status?.conditions?.find((x) => x.type === 'Failed')?.message ?? '', /exit code 42 matching FailJob rule at index 0/);
  assert.equal((await running('policy')).length, 0, 'the other pod was stopped');
});

test('activeDeadlineSeconds: past the deadline the pods are stopped and the Job fails with DeadlineExceeded', async () => {
  const c = await startJob('slow', { activeDeadlineSeconds: 30 });
  moveTo(t0 + 29_000);
  await c.reconcile('default/slow');
  assert.equal((await running('slow')).length, 1);
  moveTo(t0 + 30_000);
  await c.reconcile('default/slow');
  assert.equal(cond(await getJob('slow'), 'Failed'), 'True/DeadlineExceeded');
  assert.equal((await running('slow')).length, 0);
});

test('suspend deletes the active pods without counting them; resume makes them again', async () => {
  const c = await startJob('pause', { completions: 2, parallelism: 2 });
  assert.equal((await running('pause')).length, 2);
  let j = await getJob('pause');
  await api.update<Job>('jobs', { ...j, spec: { ...j.spec, suspend: true } });
  await c.reconcile('default/pause');
  j = await getJob('pause');
  assert.equal((await running('pause')).length, 0);
  assert.equal(cond(j, 'Suspended'), 'True/JobSuspended');
  assert.equal(j.status?.failed, 0);
  await api.update<Job>('jobs', { ...j, spec: { ...j.spec, suspend: false } });
  await c.reconcile('default/pause');
  j = await getJob('pause');
  assert.equal((await running('pause')).length, 2);
  assert.equal(cond(j, 'Suspended'), 'False/JobResumed');
});

test('ttlSecondsAfterFinished deletes the Job and its pods; deleting a Job deletes its pods', async () => {
  const c = await startJob('brief', { ttlSecondsAfterFinished: 60 });
  await finishFirst(c, 'brief', 0);
  moveTo(t0 + 59_000);
  await c.reconcile('default/brief');
  assert.equal(cond(await getJob('brief'), 'Complete'), 'True/CompletionsReached');
  moveTo(t0 + 60_000);
  await c.reconcile('default/brief');
  await assert.rejects(getJob('brief'), /not found/);
  assert.equal((await podsOf('brief')).length, 0);

  await createJob('doomed', { parallelism: 2, completions: 2 });
  await c.reconcile('default/doomed');
  assert.equal((await podsOf('doomed')).length, 2);
  await api.delete('jobs', 'doomed', 'default');
  await c.reconcile('default/doomed');
  assert.equal((await podsOf('doomed')).length, 0);
});

test('a controller restart mid-run keeps the counts exact and runs no index twice to success', async () => {
  const first = controller();
  await createJob('restart', { completions: 4, parallelism: 2, completionMode: 'Indexed' });
  await first.reconcile('default/restart');
  const pods = await running('restart');
  await finish(pods[0]!, 0);
  await finish(pods[1]!, 1);
  await first.reconcile('default/restart');
  let j = await getJob('restart');
  assert.equal(j.status?.succeeded, 1);
  assert.equal(j.status?.failed, 1);
  first.stop();

  // A new server process: a new API service and controller over the same store, reconciling again and again.
  const api2 = t.apiWith({});
  const second = new JobController({ api: api2, clock, backoffMs: 10_000, backoffMaxMs: 60_000, log: () => undefined });
  made.push(second);
  await second.reconcile('default/restart');
  await second.reconcile('default/restart');
  j = await getJob('restart');
  assert.equal(j.status?.succeeded, 1, 'nothing counted twice');
  assert.equal(j.status?.failed, 1);
  assert.equal((await running('restart')).length, 0, 'the back-off after the failure holds across the restart');
  moveTo(t0 + 10_000);
  for (let round = 0; round < 4; round++) {
    await second.reconcile('default/restart');
    for (const p of await running('restart')) await finish(p, 0);
  }
  await second.reconcile('default/restart');
  j = await getJob('restart');
  assert.equal(j.status?.succeeded, 4);
  assert.equal(j.status?.failed, 1);
  assert.equal(j.status?.completedIndexes, '0-3');
  assert.equal(cond(j, 'Complete'), 'True/CompletionsReached');
  const ok = (await podsOf('restart')).filter((p) => p.status?.phase === 'Succeeded').map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index']).sort();
  assert.deepEqual(ok, ['0', '1', '2', '3'], 'each index succeeded once');
  second.stop();
});

test('started, the controller follows the pod and Job watches: one pod per index, none extra, until Complete', async () => {
  const c = new JobController({ api, clock, backoffMs: 10_000, backoffMaxMs: 60_000, log: () => undefined, workers: 4 });
  made.push(c);
  await c.start();
  await createJob('watched', { completions: 5, parallelism: 3, completionMode: 'Indexed' });
  const until = async (what: string, fn: () => Promise<boolean>): Promise<void> => {
    for (let i = 0; i < 400; i++) { await c.idle(); if (await fn()) return; await new Promise((r) => setImmediate(r)); }
    assert.fail(`never: ${what}`);
  };
  await until('three pods', async () => (await running('watched')).length === 3);
  for (let round = 0; round < 5; round++) {
    for (const p of await running('watched')) await finish(p, 0);
    await c.idle();
  }
  await until('Complete', async () => cond(await getJob('watched'), 'Complete') === 'True/CompletionsReached');
  const all = await podsOf('watched');
  assert.equal(all.length, 5, 'one pod per index, none extra');
  assert.equal((await getJob('watched')).status?.succeeded, 5);
  c.stop();
});

test('validation names the field: restartPolicy must be Never or OnFailure; backoffLimitPerIndex needs Indexed', async () => {
  await assert.rejects(api.create<Job>('jobs', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'bad' }, spec: { template: { spec: { containers: [{ name: 'm', image: 'busybox' }] } } } }),
    /spec\.template\.spec\.restartPolicy/);
  await assert.rejects(createJob('bad2', { backoffLimitPerIndex: 1 }), /spec\.backoffLimitPerIndex/);
  const j = await createJob('defaults', {});
  assert.equal(j.spec.completions, 1);
  assert.equal(j.spec.parallelism, 1);
  assert.equal(j.spec.backoffLimit, 6);
  assert.equal(j.spec.completionMode, 'NonIndexed');
  assert.deepEqual(j.spec.selector, { matchLabels: { 'batch.kubernetes.io/job-name': 'defaults' } });
});
