/** `describe job`: kubectl's view of a Job, its pod counts, conditions, events, and why it waits. */
import type { Job } from '../schema/job.js';
import type { Pod } from '../pod.js';
import { QUEUE_WAITING_ANNOTATION } from '../queue-labels.js';
import { JobLabels } from '../job-labels.js';
import { Doc, conditionsSection, describeTime } from './doc.js';
import { relatedList, type DescribeContext, type Describer } from './describe.js';
import { eventsAbout, eventsOf, eventsSection } from './events.js';
import { selectorString } from './labels.js';
import { jobDuration, jobStatus } from './job.js';

const ownedBy = (p: Pod, j: Job): boolean => (p.metadata.ownerReferences ?? []).some((r) => r.controller === true && r.uid === j.metadata.uid);

/** Why a Job that is not finished has fewer pods running than it could, from its status and pods. */
export function waitReason(j: Job, pods: Pod[]): string | undefined {
  const st = jobStatus(j);
  if (st === 'Complete' || st === 'Failed') return undefined;
  const queued = j.metadata.annotations?.[QUEUE_WAITING_ANNOTATION];
  if (j.spec.suspend && queued) return queued;
  if (j.spec.suspend) return 'the Job is suspended (spec.suspend: true): set it to false to run its pods';
  const pending = pods.filter((p) => p.status?.phase === 'Pending' && !p.metadata.deletionTimestamp);
  const unscheduled = pending.find((p) => (p.status?.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.status === 'False'));
  if (unscheduled) {
    const c = unscheduled.status?.conditions?.find((x) => x.type === 'PodScheduled');
    return `pod ${unscheduled.metadata.name} cannot be scheduled: ${c?.message ?? c?.reason ?? 'no node fits'}`;
  }
  if (pending.length > 0) return `${pending.length} pod(s) Pending (pulling images or starting)`;
  const active = j.status?.active ?? 0;
  if (active === 0 && (j.status?.failed ?? 0) > 0) return `back-off after ${j.status?.failed ?? 0} failed pod(s): the next pod is made when the back-off (10s doubling, at most 6m) has passed`;
  return undefined;
}

/** Name through Pod Template: the spec, the times, the pod counts and why the Job waits. */
function summary(doc: Doc, j: Job, ctx: DescribeContext): void {
  const s = j.status ?? {};
  const spec = j.spec;
  const pods = relatedList<Pod>(ctx, 'pods').filter((p) => ownedBy(p, j));
  doc.kv(0, 'Name', j.metadata.name).kv(0, 'Namespace', j.metadata.namespace ?? 'default');
  doc.kv(0, 'Selector', selectorString(spec.selector));
  doc.map(0, 'Labels', j.metadata.labels).map(0, 'Annotations', j.metadata.annotations, ': ');
  doc.kv(0, 'Parallelism', String(spec.parallelism ?? 1));
  doc.kv(0, 'Completions', spec.completions === undefined ? '<unset>' : String(spec.completions));
  doc.kv(0, 'Completion Mode', spec.completionMode ?? 'NonIndexed');
  doc.kv(0, 'Suspend', String(spec.suspend ?? false));
  doc.kv(0, 'Backoff Limit', String(spec.backoffLimit ?? 6));
  if (spec.backoffLimitPerIndex !== undefined) doc.kv(0, 'Backoff Limit Per Index', String(spec.backoffLimitPerIndex));
  if (spec.maxFailedIndexes !== undefined) doc.kv(0, 'Max Failed Indexes', String(spec.maxFailedIndexes));
  if (spec.activeDeadlineSeconds !== undefined) doc.kv(0, 'Active Deadline Seconds', `${spec.activeDeadlineSeconds}s`);
  if (spec.ttlSecondsAfterFinished !== undefined) doc.kv(0, 'TTL Seconds After Finished', String(spec.ttlSecondsAfterFinished));
  if (spec.minAvailable !== undefined) doc.kv(0, 'Min Available', `${spec.minAvailable} (gang: placed all together)`);
  if (s.startTime) doc.kv(0, 'Start Time', describeTime(s.startTime));
  if (s.completionTime) doc.kv(0, 'Completed At', describeTime(s.completionTime));
  const d = jobDuration(j, ctx.now);
  if (d) doc.kv(0, 'Duration', d);
  const running = pods.filter((p) => p.status?.phase === 'Running').length;
  const waiting = pods.filter((p) => p.status?.phase === 'Pending' && !p.metadata.deletionTimestamp).length;
  doc.kv(0, 'Pods Statuses', `${running} Active (${s.ready ?? 0} Ready) / ${waiting} Pending / ${s.succeeded ?? 0} Succeeded / ${s.failed ?? 0} Failed`);
  if (spec.completionMode === 'Indexed') {
    doc.kv(0, 'Completed Indexes', s.completedIndexes || '<none>');
    if (spec.backoffLimitPerIndex !== undefined) doc.kv(0, 'Failed Indexes', s.failedIndexes || '<none>');
  }
  const why = waitReason(j, pods);
  if (why) doc.kv(0, 'Waiting', why);
}

function podTemplate(doc: Doc, j: Job): void {
  doc.kv(0, 'Pod Template');
  doc.map(1, 'Labels', j.spec.template.metadata?.labels);
  doc.kv(1, 'Containers');
  for (const c of j.spec.template.spec.containers) {
    doc.kv(2, ` ${c.name}`);
    doc.kv(3, 'Image', c.image);
    if (c.command) doc.kv(3, 'Command', c.command);
    if (c.args) doc.kv(3, 'Args', c.args);
  }
}

/** kubectl describe job, with the Job's pods (its own, by owner uid) and the events about it. */
export const jobDescriber: Describer<Job> = {
  related: (j) => ({
    pods: { resource: 'pods', namespace: j.metadata.namespace ?? 'default', labelSelector: `${JobLabels.jobName}=${j.metadata.name}` },
    events: eventsAbout('Job', j, true),
  }),
  sections: [summary, podTemplate, (doc: Doc, j: Job) => conditionsSection(doc, j.status?.conditions ?? []), (doc: Doc, j: Job, ctx: DescribeContext) => eventsSection(doc, eventsOf(ctx, j), ctx.now)],
};
