/** kubectl's `get jobs` table: NAME STATUS COMPLETIONS DURATION AGE [CONTAINERS IMAGES SELECTOR]. */
import type { Job } from '../../api/schema/job.js';
import { kubeAge } from '../output/durations.js';
import { selectorString } from '../output/apps-tables.js';
import type { Table, TableOptions } from '../output/kube-tables.js';

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

/** The table rows for `lcctl get jobs`. */
export function jobTable(jobs: Job[], o: TableOptions, now: number): Table {
  const header = ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'];
  const rows = jobs.map((j) => {
    const r = [j.metadata.name, jobStatus(j), jobCompletions(j), jobDuration(j, now), kubeAge(j.metadata.creationTimestamp, now)];
    const cs = j.spec.template.spec.containers;
    if (o.wide) r.push(cs.map((c) => c.name).join(','), cs.map((c) => c.image).join(','), selectorString(j.spec.selector));
    if (o.labels) r.push(Object.entries(j.metadata.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || '<none>');
    if (o.namespaces) r.unshift(j.metadata.namespace ?? 'default');
    return r;
  });
  if (o.wide) header.push('CONTAINERS', 'IMAGES', 'SELECTOR');
  if (o.labels) header.push('LABELS');
  if (o.namespaces) header.unshift('NAMESPACE');
  return { header, rows };
}
