/** lcctl describe hpa [NAME...]: kubectl's view of an autoscaler, its metric, rules, conditions and events. */
import type { HorizontalPodAutoscaler, HPAScalingRules } from '../../api/schema/hpa.js';
import type { Event } from '../../api/schema/event.js';
import type { Parsed } from '../args.js';
import { connect } from '../connect.js';
import { kubeErrorLine } from '../errors.js';
import { Doc, conditionsSection, describeTime } from '../describe/doc.js';
import { eventsSection } from '../output/event-tables.js';
import { hpaReference } from './table.js';

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

/** The describe text of one autoscaler. */
export function describeHpa(h: HorizontalPodAutoscaler, events: Event[], now = Date.now()): string {
  const doc = new Doc();
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
  conditionsSection(doc, s?.conditions ?? []);
  eventsSection(doc, events, now);
  return doc.render();
}

/** Print the describe text of the named autoscalers (all in the namespace without names). */
export async function describeHpas(p: Parsed, names: string[]): Promise<number> {
  const client = connect(p);
  const ns = p.str('namespace') || 'default';
  let failed = false;
  const hs: HorizontalPodAutoscaler[] = [];
  if (names.length === 0) hs.push(...(await client.list<HorizontalPodAutoscaler>('horizontalpodautoscalers', ns, { labelSelector: p.str('selector') })).items);
  for (const n of names) {
    try { hs.push(await client.get<HorizontalPodAutoscaler>('horizontalpodautoscalers', n, ns)); } catch (e) { failed = true; process.stderr.write(`${kubeErrorLine(e)}\n`); }
  }
  const texts: string[] = [];
  for (const h of hs) {
    const events = await client.list<Event>('events', ns, { fieldSelector: `involvedObject.kind=HorizontalPodAutoscaler,involvedObject.name=${h.metadata.name}` }).then((l) => l.items, () => []);
    texts.push(describeHpa(h, events));
  }
  if (hs.length === 0 && names.length === 0) process.stderr.write(`No resources found in ${ns} namespace.\n`);
  process.stdout.write(texts.join('\n\n'));
  return failed ? 1 : 0;
}
