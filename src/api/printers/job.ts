/** `get jobs`: NAME STATUS COMPLETIONS DURATION AGE [CONTAINERS IMAGES SELECTOR], and a Job's status words. */
import type { Job } from '../schema/job.js';
import { kubeAge } from './age.js';
import { ageColumn, column, nameColumn, type TableDefinition } from './table.js';
import { templateColumns } from './apps.js';

const isTrue = (j: Job, type: string): boolean => (j.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');

/** kubectl's STATUS word for a Job. */
export function jobStatus(j: Job): string {
  if (isTrue(j, 'Failed')) return 'Failed';
  if (isTrue(j, 'Complete')) return 'Complete';
  if (j.metadata.deletionTimestamp) return 'Terminating';
  if (isTrue(j, 'Suspended')) return 'Suspended';
  return 'Running';
}

/** "2/3"; a work queue (no completions) shows "succeeded/1 of parallelism", as kubectl does. */
export function jobCompletions(j: Job): string {
  const done = j.status?.succeeded ?? 0;
  if (j.spec.completions !== undefined) return `${done}/${j.spec.completions}`;
  const par = j.spec.parallelism ?? 1;
  return par > 1 ? `${done}/1 of ${par}` : `${done}/1`;
}

/** From startTime to completionTime (or now while it runs); empty before it starts. */
export function jobDuration(j: Job, now: number): string {
  const start = j.status?.startTime;
  if (!start) return '';
  const end = j.status?.completionTime ? Date.parse(j.status.completionTime) : now;
  return kubeAge(start, end);
}

/** The Job table. */
export const jobTable: TableDefinition<Job> = {
  columns: [
    nameColumn,
    column<Job>('Status', jobStatus),
    column<Job>('Completions', jobCompletions),
    column<Job>('Duration', jobDuration),
    ageColumn,
    ...templateColumns,
  ],
};
