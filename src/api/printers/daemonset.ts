/** `get daemonsets` (NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE) and `describe daemonset`. */
import type { DaemonSet } from '../schema/daemonset.js';
import type { Event } from '../schema/event.js';
import type { Pod } from '../schema/pod.js';
import { ageColumn, column, nameColumn, type TableDefinition } from './table.js';
import { Doc, describeTime } from './doc.js';
import { relatedList, type DescribeContext, type Describer } from './describe.js';
import { eventsAbout, eventsSection } from './events.js';
import { selectorString } from './labels.js';
import { podTemplateSection, podsStatusLine } from './workload-describe.js';

const nodeSelector = (d: DaemonSet): string => {
  const m = d.spec.template.spec.nodeSelector ?? {};
  const parts = Object.entries(m).map(([k, v]) => `${k}=${v}`);
  return parts.length === 0 ? '<none>' : parts.join(',');
};
const n = (v: number | undefined): string => String(v ?? 0);

/** kubectl's DaemonSet columns; -o wide adds CONTAINERS IMAGES SELECTOR. */
export const daemonSetTable: TableDefinition<DaemonSet> = {
  columns: [
    nameColumn,
    column<DaemonSet>('Desired', (d) => n(d.status?.desiredNumberScheduled), 0, 'integer'),
    column<DaemonSet>('Current', (d) => n(d.status?.currentNumberScheduled), 0, 'integer'),
    column<DaemonSet>('Ready', (d) => n(d.status?.numberReady), 0, 'integer'),
    column<DaemonSet>('Up-to-date', (d) => n(d.status?.updatedNumberScheduled), 0, 'integer'),
    column<DaemonSet>('Available', (d) => n(d.status?.numberAvailable), 0, 'integer'),
    column<DaemonSet>('Node Selector', nodeSelector),
    ageColumn,
    column<DaemonSet>('Containers', (d) => d.spec.template.spec.containers.map((c) => c.name).join(','), 1),
    column<DaemonSet>('Images', (d) => d.spec.template.spec.containers.map((c) => c.image).join(','), 1),
    column<DaemonSet>('Selector', (d) => selectorString(d.spec.selector), 1),
  ],
};

function summary(doc: Doc, d: DaemonSet, ctx: DescribeContext): void {
  const s = d.status;
  doc.kv(0, 'Name', d.metadata.name).kv(0, 'Namespace', d.metadata.namespace ?? 'default');
  doc.kv(0, 'CreationTimestamp', describeTime(d.metadata.creationTimestamp));
  doc.kv(0, 'Selector', selectorString(d.spec.selector));
  doc.kv(0, 'Node-Selector', nodeSelector(d));
  doc.map(0, 'Labels', d.metadata.labels).map(0, 'Annotations', d.metadata.annotations, ': ');
  doc.kv(0, 'Desired Number of Nodes Scheduled', n(s?.desiredNumberScheduled));
  doc.kv(0, 'Current Number of Nodes Scheduled', n(s?.currentNumberScheduled));
  doc.kv(0, 'Number of Nodes Scheduled with Up-to-date Pods', n(s?.updatedNumberScheduled));
  doc.kv(0, 'Number of Nodes Scheduled with Available Pods', n(s?.numberAvailable));
  doc.kv(0, 'Number of Nodes Misscheduled', n(s?.numberMisscheduled));
  doc.kv(0, 'Pods Status', podsStatusLine(relatedList<Pod>(ctx, 'pods'), d.metadata.uid));
  const ru = d.spec.updateStrategy?.rollingUpdate;
  doc.kv(0, 'Update Strategy', d.spec.updateStrategy?.type ?? 'RollingUpdate');
  if (ru) doc.kv(1, 'Rolling Update', `${ru.maxUnavailable ?? 1} max unavailable, ${ru.maxSurge ?? 0} max surge`);
}

/** kubectl describe daemonset: counts, pod template, events. */
export const daemonSetDescriber: Describer<DaemonSet> = {
  related: (d) => ({
    pods: { resource: 'pods', namespace: d.metadata.namespace ?? 'default', optional: true },
    events: eventsAbout('DaemonSet', d, true),
  }),
  sections: [summary, (doc, d) => podTemplateSection(doc, d.spec.template), (doc, _d, ctx) => eventsSection(doc, relatedList<Event>(ctx, 'events'), ctx.now)],
};
