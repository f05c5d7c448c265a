/** The batch/v1 CronJob kind: schema, Kubernetes' defaults, the schedule and the Job template's rules. */
import type { KindInfo } from './kind.js';
import { cronJobModule } from './modules/batch.js';
import type { FieldCause } from '../errors.js';
import { CronJobSchema, type CronJob } from '../schema/cronjob.js';
import type { Job } from '../schema/job.js';
import { withRules } from './with-rules.js';
import { jobKind } from './job.js';
import { parseSchedule } from '../cron-schedule.js';

/** Kubernetes: a Job's name is NAME-<minutes>, at most 63 characters, so a CronJob's name is at most 52. */
const maxNameLength = 52;

function check(cj: CronJob): FieldCause[] {
  const out: FieldCause[] = [];
  if (cj.metadata.name.length > maxNameLength) out.push({ field: 'metadata.name', message: `must be no more than ${maxNameLength} characters (its Jobs are named NAME-<scheduled minutes>)` });
  try { parseSchedule(cj.spec.schedule, cj.spec.timeZone); } catch (e) {
    out.push({ field: /time zone/.test(String(e)) ? 'spec.timeZone' : 'spec.schedule', message: e instanceof Error ? e.message : String(e) });
  }
  // The template is validated as the Job it becomes (its restartPolicy, its pod spec).
  const job: Job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { ...cj.spec.jobTemplate.metadata, name: cj.metadata.name, namespace: cj.metadata.namespace }, spec: structuredClone(cj.spec.jobTemplate.spec) };
  jobKind.applyDefaults(job);
  for (const c of jobKind.validate(job)) {
    if (c.field.startsWith('spec.')) out.push({ field: `spec.jobTemplate.${c.field}`, message: c.message });
  }
  return out;
}

/** The CronJob kind (batch/v1). */
export const cronJobKind: KindInfo<CronJob> = withRules(cronJobModule, {
  schema: CronJobSchema,
  check,
  applyDefaults(cj) {
    const s = cj.spec;
    s.concurrencyPolicy ??= 'Allow';
    s.suspend ??= false;
    s.successfulJobsHistoryLimit ??= 3;
    s.failedJobsHistoryLimit ??= 1;
  },
});
