/** lcctl describe queue [NAME...]: a Queue's spec, its share of the cluster, its Jobs and why each waits. */
import type { Job } from '../../api/schema/job.js';
import type { Event } from '../../api/schema/event.js';
import { ADMITTED_AT_ANNOTATION, QUEUE_NAME_LABEL, QUEUE_WAITING_ANNOTATION, type Queue } from '../../api/schema/queue.js';
import type { Parsed } from '../args.js';
import { connect } from '../connect.js';
import { kubeErrorLine } from '../errors.js';
import { Doc, describeTime } from '../describe/doc.js';
import { kubeAge } from '../output/durations.js';
import { jobStatus } from '../jobs/table.js';

const pct = (n: number | undefined): string => (n === undefined ? '<unknown>' : `${Math.round(n * 1000) / 10}%`);

/** The describe text of one Queue, with the Jobs that name it (any namespace). */
export function describeQueue(q: Queue, jobs: Job[], events: Event[], now = Date.now()): string {
  const doc = new Doc();
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
  if (jobs.length === 0) doc.kv(0, 'Jobs', '<none>');
  else {
    doc.kv(0, 'Jobs');
    doc.row(1, 'Namespace', 'Name', 'Status', 'Admitted', 'Waiting').row(1, '---------', '----', '------', '--------', '-------');
    const admitted = (j: Job): string | undefined => j.metadata.annotations?.[ADMITTED_AT_ANNOTATION];
    // Running ones first, then the waiting ones in the order they were created.
    const sorted = [...jobs].sort((x, y) => Number(admitted(x) === undefined) - Number(admitted(y) === undefined)
      || (x.metadata.creationTimestamp ?? '').localeCompare(y.metadata.creationTimestamp ?? ''));
    for (const j of sorted) {
      const at = admitted(j);
      doc.row(1, j.metadata.namespace ?? 'default', j.metadata.name, jobStatus(j), at ? `${kubeAge(at, now)} ago` : '<pending>', at ? '' : j.metadata.annotations?.[QUEUE_WAITING_ANNOTATION] ?? '');
    }
  }
  if (events.length === 0) doc.kv(0, 'Events', '<none>');
  else {
    doc.kv(0, 'Events');
    doc.row(1, 'Type', 'Reason', 'Age', 'Object', 'Message').row(1, '----', '------', '----', '------', '-------');
    for (const e of events) doc.row(1, e.type ?? 'Normal', e.reason ?? '', kubeAge(e.lastTimestamp, now), `job/${e.involvedObject.name}`, e.message ?? '');
  }
  return doc.render();
}

/** Print the describe text of the named Queues (all of them without names). */
export async function describeQueues(p: Parsed, names: string[]): Promise<number> {
  const client = connect(p);
  let failed = false;
  let queues: Queue[] = [];
  if (names.length === 0) queues = (await client.list<Queue>('queues', undefined, { labelSelector: p.str('selector') })).items;
  for (const n of names) {
    try { queues.push(await client.get<Queue>('queues', n)); } catch (e) { failed = true; process.stderr.write(`${kubeErrorLine(e)}\n`); }
  }
  const texts: string[] = [];
  for (const q of queues) {
    const jobs = (await client.list<Job>('jobs', undefined, { labelSelector: `${QUEUE_NAME_LABEL}=${q.metadata.name}` })).items;
    // The queue controller's events: the Jobs of this queue it preempted.
    const names = new Set(jobs.map((j) => `${j.metadata.namespace ?? 'default'}/${j.metadata.name}`));
    const events = (await client.list<Event>('events', undefined, { fieldSelector: 'involvedObject.kind=Job,reason=Preempted' }).catch(() => ({ items: [] as Event[] }))).items
      .filter((e) => names.has(`${e.involvedObject.namespace ?? 'default'}/${e.involvedObject.name}`))
      .sort((x, y) => (x.lastTimestamp ?? '').localeCompare(y.lastTimestamp ?? ''));
    texts.push(describeQueue(q, jobs, events));
  }
  if (queues.length === 0 && names.length === 0) process.stderr.write('No resources found\n');
  process.stdout.write(texts.join('\n\n'));
  return failed ? 1 : 0;
}
