/** From API objects to the plan's inputs: which Jobs are queued, pending or admitted, and their priority. */
import type { Job } from '../../api/schema/job.js';
import type { Queue } from '../../api/schema/queue.js';
import type { PriorityClass } from '../../api/schema/priority-class.js';
import { ADMITTED_AT_ANNOTATION, QUEUE_NAME_LABEL } from '../../api/schema/queue.js';
import { jobDemand, queueQuota } from './resources.js';
import type { JobInfo, QueueInfo } from './plan.js';
import { keyOf } from '../../client/kit/index.js';

/** A Job that has finished (Complete or Failed) no longer holds or waits for quota. */
export function finished(j: Job): boolean {
  return (j.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/** The Job's priority: the template's resolved priority, else its class's value, else the global default, else 0. */
export function jobPriority(j: Job, classes: readonly PriorityClass[]): number {
  const spec = j.spec.template.spec;
  if (spec.priority !== undefined) return spec.priority;
  const named = spec.priorityClassName === undefined ? undefined : classes.find((c) => c.metadata.name === spec.priorityClassName);
  return named?.value ?? classes.find((c) => c.globalDefault)?.value ?? 0;
}

/**
 * A Job counts as admitted only while it runs unsuspended with our annotation; an unsuspended Job
 * without it (created with suspend: false) is pending and is suspended at once.
 */
export function isAdmitted(j: Job): boolean {
  return j.spec.suspend === false && j.metadata.annotations?.[ADMITTED_AT_ANNOTATION] !== undefined;
}

/** The plan's view of a queued, unfinished Job; undefined for Jobs the queues do not manage. */
export function jobInfo(j: Job, classes: readonly PriorityClass[]): JobInfo | undefined {
  const queue = j.metadata.labels?.[QUEUE_NAME_LABEL];
  if (queue === undefined || finished(j) || j.metadata.deletionTimestamp) return undefined;
  const admitted = isAdmitted(j);
  const at = admitted ? Date.parse(j.metadata.annotations?.[ADMITTED_AT_ANNOTATION] ?? '') : NaN;
  return {
    key: keyOf(j),
    queue,
    demand: jobDemand(j),
    priority: jobPriority(j, classes),
    created: Date.parse(j.metadata.creationTimestamp ?? '') || 0,
    ...(admitted ? { admittedAt: Number.isNaN(at) ? 0 : at } : {}),
  };
}

/** The plan's view of a Queue. */
export function queueInfo(q: Queue): QueueInfo {
  return {
    name: q.metadata.name,
    weight: q.spec.weight ?? 1,
    quota: queueQuota(q),
    ...(q.spec.cohort !== undefined ? { cohort: q.spec.cohort } : {}),
    reclaim: q.spec.reclaimWithinCohort ?? 'Any',
  };
}
