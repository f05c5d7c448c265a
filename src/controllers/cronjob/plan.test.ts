import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CronJob } from '../../api/schema/cronjob.js';
import type { Job } from '../../api/schema/job.js';
import { jobNameFor, planCronJob } from './plan.js';

const T = (s: string): number => Date.parse(s);
function cron(spec: Partial<CronJob['spec']> = {}, status?: CronJob['status']): CronJob {
  return {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'tick', namespace: 'default', uid: 'cj1', creationTimestamp: '2024-05-01T12:00:00Z' },
    spec: { schedule: '*/5 * * * *', concurrencyPolicy: 'Allow', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1, jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } }, ...spec },
    ...(status ? { status } : {}),
  };
}
function job(name: string, state: 'active' | 'Complete' | 'Failed', start = '2024-05-01T12:00:00Z'): Job {
  const conditions = state === 'active' ? [] : [{ type: state, status: 'True' as const }];
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default', uid: name }, spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } }, status: { conditions, startTime: start, ...(state === 'Complete' ? { completionTime: '2024-05-01T12:06:00Z' } : {}) } } as Job;
}

describe('planCronJob', () => {
  test('nothing before the first schedule time; then one Job named NAME-<unix minutes>, and a look again at the next time', () => {
    const before = planCronJob(cron(), [], T('2024-05-01T12:04:00Z'));
    assert.equal(before.create, undefined);
    assert.equal(before.requeueAfterMs, 60_000 + 100);
    const at = planCronJob(cron(), [], T('2024-05-01T12:05:00.500Z'));
    assert.deepEqual(at.create, { name: `tick-${T('2024-05-01T12:05:00Z') / 60_000}`, scheduled: T('2024-05-01T12:05:00Z') });
    assert.equal(at.status.lastScheduleTime, '2024-05-01T12:05:00Z');
  });

  test('a Job already made for the time is not made again (a restarted controller)', () => {
    const p = planCronJob(cron(), [job(jobNameFor('tick', T('2024-05-01T12:05:00Z')), 'active')], T('2024-05-01T12:05:30Z'));
    assert.equal(p.create, undefined);
    assert.equal(p.status.active?.length, 1);
  });

  test('missed runs after a restart: one catch-up run for the latest time only', () => {
    const p = planCronJob(cron({}, { lastScheduleTime: '2024-05-01T12:05:00Z' }), [], T('2024-05-01T12:31:00Z'));
    assert.equal(p.create?.scheduled, T('2024-05-01T12:30:00Z'));
    assert.deepEqual(p.events, []);
  });

  test('more than 100 missed: a TooManyMissedTimes event, and still only the latest runs', () => {
    const p = planCronJob(cron({ schedule: '* * * * *' }, { lastScheduleTime: '2024-05-01T12:00:00Z' }), [], T('2024-05-01T15:00:30Z'));
    assert.equal(p.create?.scheduled, T('2024-05-01T15:00:00Z'));
    assert.deepEqual(p.events.map((e) => e.reason), ['TooManyMissedTimes']);
  });

  test('startingDeadlineSeconds: a run missed by more than the deadline is skipped with MissSchedule', () => {
    const late = planCronJob(cron({ startingDeadlineSeconds: 200 }, { lastScheduleTime: '2024-05-01T12:00:00Z' }), [], T('2024-05-01T12:09:00Z'));
    assert.equal(late.create, undefined);
    const inTime = planCronJob(cron({ startingDeadlineSeconds: 300 }, { lastScheduleTime: '2024-05-01T12:00:00Z' }), [], T('2024-05-01T12:09:00Z'));
    assert.equal(inTime.create?.scheduled, T('2024-05-01T12:05:00Z'));
  });

  test('concurrencyPolicy: Forbid skips while one runs, Replace deletes the running one, Allow runs beside it', () => {
    const running = [job('tick-old', 'active')];
    const now = T('2024-05-01T12:05:01Z');
    const forbid = planCronJob(cron({ concurrencyPolicy: 'Forbid' }), running, now);
    assert.equal(forbid.create, undefined);
    assert.deepEqual(forbid.events.map((e) => e.reason), ['JobAlreadyActive']);
    const replace = planCronJob(cron({ concurrencyPolicy: 'Replace' }), running, now);
    assert.deepEqual(replace.deleteActive, ['tick-old']);
    assert.ok(replace.create);
    const allow = planCronJob(cron(), running, now);
    assert.deepEqual(allow.deleteActive, []);
    assert.ok(allow.create);
  });

  test('suspend makes nothing; timeZone moves the schedule; macros work', () => {
    assert.equal(planCronJob(cron({ suspend: true }), [], T('2024-05-01T12:05:01Z')).create, undefined);
    // 09:00 in Berlin (CEST, UTC+2) is 07:00 UTC.
    const tz = planCronJob(cron({ schedule: '0 9 * * *', timeZone: 'Europe/Berlin' }), [], T('2024-05-02T07:00:10Z'));
    assert.equal(tz.create?.scheduled, T('2024-05-02T07:00:00Z'));
    assert.equal(planCronJob(cron({ schedule: '@hourly' }), [], T('2024-05-01T13:00:05Z')).create?.scheduled, T('2024-05-01T13:00:00Z'));
  });

  test('history limits delete the oldest finished Jobs; lastSuccessfulTime follows completions', () => {
    const jobs = [
      job('s1', 'Complete', '2024-05-01T12:01:00Z'), job('s2', 'Complete', '2024-05-01T12:02:00Z'),
      job('f1', 'Failed', '2024-05-01T12:03:00Z'), job('f2', 'Failed', '2024-05-01T12:04:00Z'),
    ];
    const p = planCronJob(cron({ successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1 }), jobs, T('2024-05-01T12:04:30Z'));
    assert.deepEqual(p.deleteHistory, ['s1', 'f1']);
    assert.equal(p.status.lastSuccessfulTime, '2024-05-01T12:06:00Z');
  });
});
