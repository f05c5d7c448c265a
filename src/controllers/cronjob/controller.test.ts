import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openTestApi, type TestApi } from '../../testing/api.js';
import { ManualClock } from '../../testing/clock.js';
import { CronJobController } from './index.js';
import type { CronJob } from '../../api/schema/cronjob.js';
import type { Job } from '../../api/schema/job.js';
import type { Event } from '../../api/schema/event.js';

let t: TestApi;
let api: TestApi['api'];
const made: CronJobController[] = [];

before(async () => { t = await openTestApi({ prefix: 'lantern-cronjob-' }); api = t.api; });
after(async () => { for (const c of made) c.stop(); await t.close(); });

function cronJob(name: string, spec: Partial<CronJob['spec']> = {}): CronJob {
  return {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name, namespace: 'default' },
    spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['true'] }] } } } }, ...spec },
  };
}
const jobsOf = async (cj: CronJob): Promise<Job[]> => (await api.list<Job>('jobs', 'default')).items.filter((j) => j.metadata.ownerReferences?.[0]?.uid === cj.metadata.uid);

test('a CronJob makes its Job at the schedule time (on the injected clock), owned by it, and the status follows the Job', async () => {
  const cj = await api.create<CronJob>('cronjobs', cronJob('every-minute', { concurrencyPolicy: 'Forbid' }));
  const created = Date.parse(cj.metadata.creationTimestamp!);
  const clock = new ManualClock(created);
  const c = new CronJobController({ api, clock, log: () => undefined });
  made.push(c);
  await c.reconcile('default/every-minute');
  assert.deepEqual(await jobsOf(cj), [], 'nothing before the first minute');
  const first = Math.floor(created / 60_000) * 60_000 + 60_000;
  clock.advance(first + 1000 - clock.now());
  await c.reconcile('default/every-minute');
  const jobs = await jobsOf(cj);
  assert.deepEqual(jobs.map((j) => j.metadata.name), [`every-minute-${first / 60_000}`]);
  assert.equal(jobs[0]!.metadata.ownerReferences?.[0]?.controller, true);
  let now = await api.get<CronJob>('cronjobs', 'every-minute', 'default');
  assert.equal(now.status?.active?.[0]?.name, jobs[0]!.metadata.name);
  assert.equal(now.status?.lastScheduleTime, new Date(first).toISOString().replace('.000Z', 'Z'));

  // Forbid: the next minute comes while the Job still runs: no second Job.
  clock.advance(60_000);
  await c.reconcile('default/every-minute');
  assert.equal((await jobsOf(cj)).length, 1);
  const events = (await api.list<Event>('events', 'default')).items.filter((e) => e.involvedObject.name === 'every-minute').map((e) => e.reason);
  assert.ok(events.includes('SuccessfulCreate') && events.includes('JobAlreadyActive'), events.join(','));

  // The Job completes: it leaves status.active, lastSuccessfulTime is set, and the next minute runs again.
  await api.updateStatus<Job>('jobs', { ...jobs[0]!, status: { conditions: [{ type: 'Complete', status: 'True' }], completionTime: new Date(clock.now()).toISOString(), startTime: new Date(first).toISOString() } });
  clock.advance(60_000);
  await c.reconcile('default/every-minute');
  now = await api.get<CronJob>('cronjobs', 'every-minute', 'default');
  assert.ok(now.status?.lastSuccessfulTime);
  assert.equal(now.status?.active?.length, 1);
  assert.notEqual(now.status?.active?.[0]?.name, jobs[0]!.metadata.name);
});

test('the API refuses a bad schedule, a six-field one and an unknown time zone, naming the field', async () => {
  for (const [spec, field] of [[{ schedule: 'every minute' }, 'spec.schedule'], [{ schedule: '0 * * * * *' }, 'spec.schedule'], [{ timeZone: 'Mars/Base' }, 'spec.timeZone']] as const) {
    await assert.rejects(api.create<CronJob>('cronjobs', cronJob('bad', spec)), (e: Error) => e.message.includes(field));
  }
  await assert.rejects(api.create<CronJob>('cronjobs', cronJob('bad-template', { jobTemplate: { spec: { template: { spec: { restartPolicy: 'Always', containers: [{ name: 'c', image: 'busybox' }] } } } } })), /spec\.jobTemplate\.spec\.template\.spec\.restartPolicy/);
});
