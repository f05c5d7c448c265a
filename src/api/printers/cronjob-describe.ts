/** `describe cronjob`: kubectl's view of a CronJob: schedule, policies, history limits, its Job template, active Jobs and events. */
import type { CronJob } from '../schema/cronjob.js';
import { Doc, describeTime } from './doc.js';
import type { DescribeContext, Describer } from './describe.js';
import { eventsAbout, eventsOf, eventsSection } from './events.js';
import { selectorString } from './labels.js';
import { podTemplateSection } from './workload-describe.js';

const unset = (v: number | undefined): string => (v === undefined ? '<unset>' : String(v));

/** Name through the Job template's settings, as kubectl lists them. */
function summary(doc: Doc, c: CronJob): void {
  const spec = c.spec;
  const job = spec.jobTemplate.spec;
  doc.kv(0, 'Name', c.metadata.name).kv(0, 'Namespace', c.metadata.namespace ?? 'default');
  doc.map(0, 'Labels', c.metadata.labels).map(0, 'Annotations', c.metadata.annotations, ': ');
  doc.kv(0, 'Schedule', spec.schedule);
  if (spec.timeZone !== undefined) doc.kv(0, 'Time Zone', spec.timeZone);
  doc.kv(0, 'Concurrency Policy', spec.concurrencyPolicy ?? 'Allow');
  doc.kv(0, 'Suspend', spec.suspend ? 'True' : 'False');
  doc.kv(0, 'Successful Job History Limit', String(spec.successfulJobsHistoryLimit ?? 3));
  doc.kv(0, 'Failed Job History Limit', String(spec.failedJobsHistoryLimit ?? 1));
  doc.kv(0, 'Starting Deadline Seconds', spec.startingDeadlineSeconds === undefined ? '<unset>' : `${spec.startingDeadlineSeconds}s`);
  doc.kv(0, 'Selector', job.selector ? selectorString(job.selector) : '<unset>');
  doc.kv(0, 'Parallelism', unset(job.parallelism));
  doc.kv(0, 'Completions', unset(job.completions));
  if (job.activeDeadlineSeconds !== undefined) doc.kv(0, 'Active Deadline Seconds', `${job.activeDeadlineSeconds}s`);
}

/** Last schedule, last success and the active Jobs. */
function runs(doc: Doc, c: CronJob): void {
  const s = c.status ?? {};
  doc.kv(0, 'Last Schedule Time', s.lastScheduleTime ? describeTime(s.lastScheduleTime) : '<unset>');
  if (s.lastSuccessfulTime) doc.kv(0, 'Last Successful Time', describeTime(s.lastSuccessfulTime));
  doc.kv(0, 'Active Jobs', (s.active ?? []).map((a) => a.name ?? '').filter(Boolean).join(', ') || '<none>');
}

/** kubectl describe cronjob, with the events about it (SuccessfulCreate, SawCompletedJob, MissSchedule, ...). */
export const cronJobDescriber: Describer<CronJob> = {
  related: (c) => ({ events: eventsAbout('CronJob', c, true) }),
  sections: [
    summary,
    (doc: Doc, c: CronJob) => podTemplateSection(doc, c.spec.jobTemplate.spec.template),
    runs,
    (doc: Doc, c: CronJob, ctx: DescribeContext) => eventsSection(doc, eventsOf(ctx, c), ctx.now),
  ],
};
