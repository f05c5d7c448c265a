import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CronJob } from '../schema/cronjob.js';
import type { Event } from '../schema/event.js';
import { describeText } from './describe.js';
import { cronJobDescriber } from './cronjob-describe.js';

const now = Date.parse('2026-01-01T12:00:00Z');
const cj: CronJob = {
  apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'backup', namespace: 'ops', uid: 'u1' },
  spec: {
    schedule: '*/5 * * * *', timeZone: 'Europe/Paris', concurrencyPolicy: 'Forbid', suspend: true, successfulJobsHistoryLimit: 2,
    jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'dump', image: 'busybox', command: ['sh', '-c', 'echo hi'] }] } } } },
  },
  status: { lastScheduleTime: '2026-01-01T11:55:00Z', active: [{ kind: 'Job', name: 'backup-29440315', namespace: 'ops' }] },
};
const event: Event = {
  apiVersion: 'v1', kind: 'Event', metadata: { name: 'e1', namespace: 'ops' }, involvedObject: { kind: 'CronJob', name: 'backup', uid: 'u1' },
  reason: 'SuccessfulCreate', message: 'Created job backup-29440315', type: 'Normal', count: 1, lastTimestamp: '2026-01-01T11:55:00Z', source: { component: 'cronjob-controller' },
};

describe('describe cronjob', () => {
  test('schedule, policies, history limits, template, last schedule, active Jobs and events, in kubectl\'s words', () => {
    const text = describeText(cronJobDescriber, cj, { related: { events: [event] }, now });
    for (const line of [
      /^Name:\s+backup$/m, /^Schedule:\s+\*\/5 \* \* \* \*$/m, /^Time Zone:\s+Europe\/Paris$/m, /^Concurrency Policy:\s+Forbid$/m,
      /^Suspend:\s+True$/m, /^Successful Job History Limit:\s+2$/m, /^Failed Job History Limit:\s+1$/m, /^Starting Deadline Seconds:\s+<unset>$/m,
      /^\s+Image:\s+busybox$/m, /^Last Schedule Time:\s+\S.*2026/m, /^Active Jobs:\s+backup-29440315$/m, /SuccessfulCreate.*Created job backup-29440315/,
    ]) assert.match(text, line, text);
  });

  test('a CronJob that never ran says so', () => {
    const text = describeText(cronJobDescriber, { ...cj, status: {} }, { related: {}, now });
    assert.match(text, /^Last Schedule Time:\s+<unset>$/m);
    assert.match(text, /^Active Jobs:\s+<none>$/m);
  });
});
