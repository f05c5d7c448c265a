/** `get queues` / `lcctl queue list` (NAME WEIGHT PENDING RUNNING ALLOCATED DESERVED SHARE AGE [QUOTA COHORT]) and `describe queue`. */
import type { Queue } from '../schema/queue.js';
import type { Job } from '../schema/job.js';
import type { Event } from '../schema/event.js';
import { ADMITTED_AT_ANNOTATION, QUEUE_NAME_LABEL, QUEUE_WAITING_ANNOTATION } from '../queue-labels.js';
import { Doc, describeTime } from './doc.js';
import { relatedList, type DescribeContext, type Describer } from './describe.js';
import { kubeAge } from './age.js';
import { ageColumn, column, nameColumn, type TableDefinition } from './table.js';
import { jobStatus } from './job.js';

const pct = (n: number | undefined): string => (n === undefined ? '<unknown>' : `${Math.round(n * 1000) / 10}%`);

/** The queue table; -o wide adds QUOTA and COHORT; never LABELS. */
export const queueTable: TableDefinition<Queue> = {
  columns: [
    nameColumn,
    column<Queue>('Weight', (q) => String(q.spec.weight ?? 1), 0, 'integer'),
    column<Queue>('Pending', (q) => String(q.status?.pending ?? 0), 0, 'integer'),
    column<Queue>('Running', (q) => String(q.status?.admitted ?? 0), 0, 'integer'),
    column<Queue>('Allocated', (q) => { const a = q.status?.allocated; return a ? `${a.cpu}/${a.memory}/${a.gpu}` : '0/0B/0'; }),
    column<Queue>('Deserved', (q) => pct(q.status?.deservedShare)),
    column<Queue>('Share', (q) => `${pct(q.status?.dominantShare)}${q.status?.borrowing ? ' (borrowing)' : ''}`),
    ageColumn,
    column<Queue>('Quota', (q) => Object.entries(q.spec.quota ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || '<unlimited>', 1),
    column<Queue>('Cohort', (q) => q.spec.cohort ?? '<none>', 1),
  ],
  labelsColumn: false,
};

/** Name through Status: the queue's spec and its share of the cluster. */
function summary(doc: Doc, q: Queue): void {
  const s = q.status;
  doc.kv(0, 'Name', q.metadata.name);
  doc.map(0, 'Labels', q.metadata.labels).map(0, 'Annotations', q.metadata.annotations, ': ');
  doc.kv(0, 'CreationTimestamp', describeTime(q.metadata.creationTimestamp));
  doc.kv(0, 'Weight', String(q.spec.weight ?? 1));
  doc.map(0, 'Quota', q.spec.quota as Record<string, string> | undefined);
  doc.kv(0, 'Cohort', q.spec.cohort ?? '<none>');
  doc.kv(0, 'Reclaim Within Cohort', q.spec.reclaimWithinCohort ?? 'Any');
  doc.kv(0, 'Status');
  doc.kv(1, 'Pending', String(s?.pending ?? 0)).kv(1, 'Running', String(s?.admitted ?? 0));
  const a = s?.allocated;
  doc.kv(1, 'Allocated', a ? `cpu ${a.cpu}, memory ${a.memory}, gpu ${a.gpu}` : '<none>');
  doc.kv(1, 'Deserved Share', pct(s?.deservedShare));
  doc.kv(1, 'Dominant Share', `${pct(s?.dominantShare)}${s?.borrowing ? ' (borrowing from its cohort)' : ''}`);
}

/** The Jobs that name the queue: running ones first, then the waiting ones in the order they were created. */
function jobs(doc: Doc, _q: Queue, ctx: DescribeContext): void {
  const list = relatedList<Job>(ctx, 'jobs');
  if (list.length === 0) { doc.kv(0, 'Jobs', '<none>'); return; }
  doc.kv(0, 'Jobs');
  doc.row(1, 'Namespace', 'Name', 'Status', 'Admitted', 'Waiting').row(1, '---------', '----', '------', '--------', '-------');
  const admitted = (j: Job): string | undefined => j.metadata.annotations?.[ADMITTED_AT_ANNOTATION];
  const sorted = [...list].sort((x, y) => Number(admitted(x) === undefined) - Number(admitted(y) === undefined)
    || (x.metadata.creationTimestamp ?? '').localeCompare(y.metadata.creationTimestamp ?? ''));
  for (const j of sorted) {
    const at = admitted(j);
    doc.row(1, j.metadata.namespace ?? 'default', j.metadata.name, jobStatus(j), at ? `${kubeAge(at, ctx.now)} ago` : '<pending>', at ? '' : j.metadata.annotations?.[QUEUE_WAITING_ANNOTATION] ?? '');
  }
}

/** The queue controller's events: the Jobs of this queue it preempted, oldest first. */
function events(doc: Doc, _q: Queue, ctx: DescribeContext): void {
  const names = new Set(relatedList<Job>(ctx, 'jobs').map((j) => `${j.metadata.namespace ?? 'default'}/${j.metadata.name}`));
  const list = relatedList<Event>(ctx, 'events').filter((e) => names.has(`${e.involvedObject.namespace ?? 'default'}/${e.involvedObject.name}`))
    .sort((x, y) => (x.lastTimestamp ?? '').localeCompare(y.lastTimestamp ?? ''));
  if (list.length === 0) { doc.kv(0, 'Events', '<none>'); return; }
  doc.kv(0, 'Events');
  doc.row(1, 'Type', 'Reason', 'Age', 'Object', 'Message').row(1, '----', '------', '----', '------', '-------');
  for (const e of list) doc.row(1, e.type ?? 'Normal', e.reason ?? '', kubeAge(e.lastTimestamp, ctx.now), `job/${e.involvedObject.name}`, e.message ?? '');
}

/** kubectl-style describe queue, with the queue's Jobs (any namespace) and why each waits. */
export const queueDescriber: Describer<Queue> = {
  related: (q) => ({
    jobs: { resource: 'jobs', labelSelector: `${QUEUE_NAME_LABEL}=${q.metadata.name}` },
    events: { resource: 'events', fieldSelector: 'involvedObject.kind=Job,reason=Preempted', optional: true },
  }),
  sections: [summary, jobs, events],
};
