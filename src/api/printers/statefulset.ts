/** `get statefulsets` (NAME READY AGE [CONTAINERS IMAGES]) and `describe statefulset`, as kubectl prints them. */
import type { StatefulSet } from '../schema/statefulset.js';
import type { Event } from '../schema/event.js';
import type { Pod } from '../schema/pod.js';
import { ageColumn, column, nameColumn, type TableDefinition } from './table.js';
import { Doc, describeTime } from './doc.js';
import { relatedList, type DescribeContext, type Describer } from './describe.js';
import { eventsAbout, eventsSection } from './events.js';
import { selectorString } from './labels.js';
import { podTemplateSection, podsStatusLine } from './workload-describe.js';

/** NAME READY AGE; -o wide adds CONTAINERS IMAGES. */
export const statefulSetTable: TableDefinition<StatefulSet> = {
  columns: [
    nameColumn,
    column<StatefulSet>('Ready', (s) => `${s.status?.readyReplicas ?? 0}/${s.spec.replicas ?? 1}`),
    ageColumn,
    column<StatefulSet>('Containers', (s) => s.spec.template.spec.containers.map((c) => c.name).join(','), 1),
    column<StatefulSet>('Images', (s) => s.spec.template.spec.containers.map((c) => c.image).join(','), 1),
  ],
};

function summary(doc: Doc, s: StatefulSet, ctx: DescribeContext): void {
  doc.kv(0, 'Name', s.metadata.name).kv(0, 'Namespace', s.metadata.namespace ?? 'default');
  doc.kv(0, 'CreationTimestamp', describeTime(s.metadata.creationTimestamp));
  doc.kv(0, 'Selector', selectorString(s.spec.selector));
  doc.map(0, 'Labels', s.metadata.labels).map(0, 'Annotations', s.metadata.annotations, ': ');
  doc.kv(0, 'Replicas', `${s.spec.replicas ?? 1} desired | ${s.status?.replicas ?? 0} total`);
  doc.kv(0, 'Update Strategy', s.spec.updateStrategy?.type ?? 'RollingUpdate');
  const partition = s.spec.updateStrategy?.rollingUpdate?.partition;
  if (partition !== undefined) doc.kv(1, 'Partition', String(partition));
  doc.kv(0, 'Pod Management Policy', s.spec.podManagementPolicy ?? 'OrderedReady');
  const r = s.spec.persistentVolumeClaimRetentionPolicy;
  doc.kv(0, 'PVC Retention Policy', `WhenDeleted: ${r?.whenDeleted ?? 'Retain'}, WhenScaled: ${r?.whenScaled ?? 'Retain'}`);
  doc.kv(0, 'Service Name', s.spec.serviceName || '<none>');
  doc.kv(0, 'Revisions', `current ${s.status?.currentRevision ?? '<none>'}, update ${s.status?.updateRevision ?? '<none>'}`);
  doc.kv(0, 'Pods Status', podsStatusLine(relatedList<Pod>(ctx, 'pods'), s.metadata.uid));
}

function claims(doc: Doc, s: StatefulSet): void {
  const ts = s.spec.volumeClaimTemplates ?? [];
  doc.kv(0, 'Volume Claims', ts.length === 0 ? '<none>' : undefined);
  for (const t of ts) {
    const spec = t.spec as { storageClassName?: string; accessModes?: string[]; resources?: { requests?: { storage?: string } } };
    doc.kv(1, 'Name', t.metadata.name);
    doc.kv(1, 'StorageClass', spec.storageClassName ?? '');
    doc.kv(1, 'Capacity', spec.resources?.requests?.storage ?? '');
    doc.kv(1, 'Access Modes', (spec.accessModes ?? []).join(','));
  }
}

/** kubectl describe statefulset: summary, pod template, volume claims, events. */
export const statefulSetDescriber: Describer<StatefulSet> = {
  related: (s) => ({
    pods: { resource: 'pods', namespace: s.metadata.namespace ?? 'default', optional: true },
    events: eventsAbout('StatefulSet', s, true),
  }),
  sections: [summary, (doc, s) => podTemplateSection(doc, s.spec.template), claims, (doc, _s, ctx) => eventsSection(doc, relatedList<Event>(ctx, 'events'), ctx.now)],
};
