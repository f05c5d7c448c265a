/**
 * The CronJob controller's decision, pure (Kubernetes' cronjob_controllerv2 syncCronJob): which Job
 * to make now, if any; which Jobs to delete (Replace, history limits); the new status; the events;
 * and when to look again. Missed runs (a server that was down) give at most one catch-up run, the
 * latest; more than 100 missed is a TooManyMissedTimes event.
 */
import type { CronJob, CronJobStatus } from '../../api/schema/cronjob.js';
import type { Job } from '../../api/schema/job.js';
import { parseSchedule } from '../../api/cron-schedule.js';

/** Kubernetes' bound on the missed schedules it counts before it gives up on them. */
const tooManyMissed = 100;

/** One event to record on the CronJob. */
export interface CronEvent { type: 'Normal' | 'Warning'; reason: string; message: string }

/** What the controller does for one CronJob. */
export interface CronPlan {
  /** Make this Job (name NAME-<scheduled unix minutes>) for the scheduled time. */
  create?: { name: string; scheduled: number };
  /** Active Jobs to delete first (concurrencyPolicy Replace). */
  deleteActive: string[];
  /** Finished Jobs beyond the history limits, oldest first. */
  deleteHistory: string[];
  status: CronJobStatus;
  events: CronEvent[];
  /** Look again after this long (the next schedule); absent: only when something changes. */
  requeueAfterMs?: number;
}

const cond = (j: Job, type: string): boolean => (j.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
/** Whether a Job is done (Complete or Failed). */
export const jobFinished = (j: Job): boolean => cond(j, 'Complete') || cond(j, 'Failed');

/** The Job name of a scheduled time: NAME-<unix minutes>, as Kubernetes names them. */
export const jobNameFor = (cronJob: string, scheduled: number): string => `${cronJob}-${Math.floor(scheduled / 60_000)}`;

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The most recent schedule time in (earliest, now] and how many there were (counting stops past 100). */
function mostRecent(next: (after: number) => number | undefined, earliest: number, now: number): { latest?: number; missed: number } {
  let t = next(earliest);
  let latest: number | undefined;
  let missed = 0;
  while (t !== undefined && t <= now) {
    latest = t;
    missed++;
    if (missed > tooManyMissed) {
      // Jump to the last one before now without counting each (a schedule every minute for a year).
      let probe = next(now - 60 * 60_000);
      while (probe !== undefined && probe <= now) { latest = probe; probe = next(probe); }
      break;
    }
    t = next(t);
  }
  return { latest, missed };
}

/** Plan one CronJob at `now` given the Jobs it owns. */
export function planCronJob(cj: CronJob, owned: Job[], now: number): CronPlan {
  const spec = cj.spec;
  const events: CronEvent[] = [];
  const active = owned.filter((j) => !jobFinished(j));
  const finished = owned.filter(jobFinished);
  const successTimes = finished.filter((j) => cond(j, 'Complete')).map((j) => Date.parse(j.status?.completionTime ?? '')).filter((t) => !Number.isNaN(t));
  const prevSuccess = cj.status?.lastSuccessfulTime ? Date.parse(cj.status.lastSuccessfulTime) : undefined;
  const lastSuccess = Math.max(prevSuccess ?? -Infinity, ...successTimes);
  const status: CronJobStatus = {};
  if (active.length > 0) status.active = active.map((j) => ({ apiVersion: 'batch/v1', kind: 'Job', name: j.metadata.name, namespace: j.metadata.namespace, uid: j.metadata.uid }));
  if (cj.status?.lastScheduleTime) status.lastScheduleTime = cj.status.lastScheduleTime;
  if (Number.isFinite(lastSuccess)) status.lastSuccessfulTime = iso(lastSuccess);
  const plan: CronPlan = { deleteActive: [], deleteHistory: historyToDelete(spec.successfulJobsHistoryLimit ?? 3, spec.failedJobsHistoryLimit ?? 1, finished), status, events };

  let next: (after: number) => number | undefined;
  try { next = parseSchedule(spec.schedule, spec.timeZone).next; } catch (e) {
    events.push({ type: 'Warning', reason: 'UnparseableSchedule', message: e instanceof Error ? e.message : String(e) });
    return plan;
  }
  const after = (t: number): number | undefined => next(t);
  const requeue = (): void => { const n = after(now); if (n !== undefined) plan.requeueAfterMs = Math.max(0, n - now) + 100; };
  if (cj.metadata.deletionTimestamp || spec.suspend) return plan;

  let earliest = Date.parse(cj.status?.lastScheduleTime ?? cj.metadata.creationTimestamp ?? new Date(now).toISOString());
  if (spec.startingDeadlineSeconds !== undefined) earliest = Math.max(earliest, now - spec.startingDeadlineSeconds * 1000);
  const { latest, missed } = mostRecent(after, earliest, now);
  requeue();
  if (latest === undefined) return plan;
  if (missed > tooManyMissed) events.push({ type: 'Warning', reason: 'TooManyMissedTimes', message: `too many missed start times: more than ${tooManyMissed}; only the most recent is started. Set or decrease .spec.startingDeadlineSeconds or check clock skew` });
  if (spec.startingDeadlineSeconds !== undefined && latest + spec.startingDeadlineSeconds * 1000 < now) {
    events.push({ type: 'Warning', reason: 'MissSchedule', message: `Missed scheduled time to start a job: ${iso(latest)}` });
    return plan;
  }
  const name = jobNameFor(cj.metadata.name, latest);
  if (owned.some((j) => j.metadata.name === name)) return plan;
  if (spec.concurrencyPolicy === 'Forbid' && active.length > 0) {
    events.push({ type: 'Normal', reason: 'JobAlreadyActive', message: `Not starting job because prior execution is running and concurrency policy is Forbid` });
    return plan;
  }
  if (spec.concurrencyPolicy === 'Replace') plan.deleteActive = active.map((j) => j.metadata.name);
  plan.create = { name, scheduled: latest };
  status.lastScheduleTime = iso(latest);
  return plan;
}

/** The oldest finished Jobs past each history limit. */
function historyToDelete(successLimit: number, failedLimit: number, finished: Job[]): string[] {
  const startOf = (j: Job): number => Date.parse(j.status?.startTime ?? j.metadata.creationTimestamp ?? '') || 0;
  const out: string[] = [];
  for (const [limit, list] of [[successLimit, finished.filter((j) => cond(j, 'Complete'))], [failedLimit, finished.filter((j) => cond(j, 'Failed'))]] as const) {
    const sorted = [...list].sort((a, b) => startOf(a) - startOf(b));
    out.push(...sorted.slice(0, Math.max(0, sorted.length - limit)).map((j) => j.metadata.name));
  }
  return out;
}
