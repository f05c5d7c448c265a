/** `get hpa` (NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE) and `describe hpa`, as kubectl prints them. */
import type { HorizontalPodAutoscaler, HPAScalingRules } from '../schema/hpa.js';
import type { Event } from '../schema/event.js';
import { Doc, conditionsSection, describeTime } from './doc.js';
import { relatedList, type DescribeContext, type Describer } from './describe.js';
import { eventsAbout, eventsSection } from './events.js';
import { ageColumn, column, nameColumn, type TableDefinition } from './table.js';

type Hpa = HorizontalPodAutoscaler;

/** "cpu: 45%/70%" (kubectl 1.32's form): current utilization over the target; "<unknown>" before the first measurement. */
export function hpaTargets(h: Hpa): string {
  const parts = (h.spec.metrics ?? []).map((m) => {
    const current = h.status?.currentMetrics?.find((c) => c.resource.name === m.resource.name)?.resource.current.averageUtilization;
    const target = m.resource.target.averageUtilization;
    return `${m.resource.name}: ${current === undefined ? '<unknown>' : `${current}%`}/${target === undefined ? '<auto>' : `${target}%`}`;
  });
  return parts.length === 0 ? '<none>' : parts.join(', ');
}

/** The target as kubectl names it: Deployment/web. */
export const hpaReference = (h: Hpa): string => `${h.spec.scaleTargetRef.kind}/${h.spec.scaleTargetRef.name}`;

/** The autoscaler table. */
export const hpaTable: TableDefinition<Hpa> = {
  columns: [
    nameColumn,
    column<Hpa>('Reference', hpaReference),
    column<Hpa>('Targets', hpaTargets),
    column<Hpa>('MinPods', (h) => String(h.spec.minReplicas ?? 1), 0, 'integer'),
    column<Hpa>('MaxPods', (h) => String(h.spec.maxReplicas), 0, 'integer'),
    column<Hpa>('Replicas', (h) => String(h.status?.currentReplicas ?? 0), 0, 'integer'),
    ageColumn,
  ],
};

function rules(doc: Doc, title: string, r: HPAScalingRules | undefined): void {
  if (!r) return;
  doc.kv(1, title);
  if (r.stabilizationWindowSeconds !== undefined) doc.kv(2, 'Stabilization Window', `${r.stabilizationWindowSeconds} seconds`);
  if (r.selectPolicy) doc.kv(2, 'Select Policy', r.selectPolicy);
  if (r.policies && r.policies.length > 0) {
    doc.kv(2, 'Policies');
    for (const p of r.policies) doc.row(3, `- Type: ${p.type}`, `Value: ${p.value}`, `Period: ${p.periodSeconds} seconds`);
  }
}

/** Name through the target's pods: the metric (current / target), the bounds and the scaling rules. */
function summary(doc: Doc, h: Hpa): void {
  const s = h.status;
  doc.kv(0, 'Name', h.metadata.name).kv(0, 'Namespace', h.metadata.namespace ?? 'default');
  doc.map(0, 'Labels', h.metadata.labels).map(0, 'Annotations', h.metadata.annotations, ': ');
  doc.kv(0, 'CreationTimestamp', describeTime(h.metadata.creationTimestamp));
  doc.kv(0, 'Reference', hpaReference(h));
  doc.kv(0, 'Metrics', '( current / target )');
  const cur = s?.currentMetrics?.find((m) => m.resource.name === 'cpu')?.resource.current;
  for (const m of h.spec.metrics ?? []) {
    const current = cur?.averageUtilization === undefined ? '<unknown>' : `${cur.averageUtilization}% (${cur.averageValue ?? '0'})`;
    doc.kv(1, `resource ${m.resource.name} on pods  (as a percentage of request)`, `${current} / ${m.resource.target.averageUtilization ?? '<unset>'}%`);
  }
  doc.kv(0, 'Min replicas', String(h.spec.minReplicas ?? 1)).kv(0, 'Max replicas', String(h.spec.maxReplicas));
  if (h.spec.behavior) {
    doc.kv(0, 'Behavior');
    rules(doc, 'Scale Up', h.spec.behavior.scaleUp);
    rules(doc, 'Scale Down', h.spec.behavior.scaleDown);
  }
  doc.kv(0, `${h.spec.scaleTargetRef.kind} pods`, `${s?.currentReplicas ?? 0} current / ${s?.desiredReplicas ?? 0} desired`);
}

/** kubectl describe hpa, with the events about it. */
export const hpaDescriber: Describer<Hpa> = {
  related: (h) => ({ events: eventsAbout('HorizontalPodAutoscaler', h, true) }),
  sections: [summary, (doc: Doc, h: Hpa) => conditionsSection(doc, h.status?.conditions ?? []), (doc: Doc, _h: Hpa, ctx: DescribeContext) => eventsSection(doc, relatedList<Event>(ctx, 'events'), ctx.now)],
};
