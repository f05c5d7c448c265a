/** `describe deployment`: spec summary, pod template, conditions, its ReplicaSets and events. */
import type { Deployment, ReplicaSet } from '../schema/apps.js';
import type { Event } from '../schema/event.js';
import { Doc, describeTime } from './doc.js';
import { relatedList, type DescribeContext, type Describer } from './describe.js';
import { eventsAbout, eventsSection } from './events.js';
import { selectorString } from './labels.js';
import { controlledReplicaSets } from './apps.js';

const rsLine = (r: ReplicaSet): string => `${r.metadata.name} (${r.status?.replicas ?? 0}/${r.spec.replicas ?? 0} replicas created)`;

function summary(doc: Doc, d: Deployment): void {
  const s = d.status;
  const want = d.spec.replicas ?? 1;
  doc.kv(0, 'Name', d.metadata.name).kv(0, 'Namespace', d.metadata.namespace ?? 'default');
  doc.kv(0, 'CreationTimestamp', describeTime(d.metadata.creationTimestamp));
  doc.map(0, 'Labels', d.metadata.labels).map(0, 'Annotations', d.metadata.annotations, ': ');
  doc.kv(0, 'Selector', selectorString(d.spec.selector));
  doc.kv(0, 'Replicas', `${want} desired | ${s?.updatedReplicas ?? 0} updated | ${s?.replicas ?? 0} total | ${s?.availableReplicas ?? 0} available | ${s?.unavailableReplicas ?? 0} unavailable`);
  const strategy = d.spec.strategy?.type ?? 'RollingUpdate';
  doc.kv(0, 'StrategyType', strategy).kv(0, 'MinReadySeconds', String(d.spec.minReadySeconds ?? 0));
  if (strategy === 'RollingUpdate') {
    const ru = d.spec.strategy?.rollingUpdate;
    doc.kv(0, 'RollingUpdateStrategy', `${ru?.maxUnavailable ?? '25%'} max unavailable, ${ru?.maxSurge ?? '25%'} max surge`);
  }
  if (d.spec.paused) doc.kv(0, 'Paused', 'true');
}

function podTemplate(doc: Doc, d: Deployment): void {
  doc.kv(0, 'Pod Template');
  doc.map(1, 'Labels', d.spec.template.metadata?.labels);
  if (d.spec.template.metadata?.annotations) doc.map(1, 'Annotations', d.spec.template.metadata.annotations, ': ');
  doc.kv(1, 'Containers');
  for (const c of d.spec.template.spec.containers) {
    doc.kv(1, ` ${c.name}`);
    doc.kv(2, 'Image', c.image);
    doc.kv(2, 'Port', c.ports?.map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ') || '<none>');
    if (c.command) doc.kv(2, 'Command', c.command);
    if (c.args) doc.kv(2, 'Args', c.args);
    doc.kv(2, 'Environment', c.env?.length ? c.env.map((e) => `${e.name}:  ${e.value ?? ''}`) : '<none>');
  }
  doc.kv(1, 'Volumes', d.spec.template.spec.volumes?.map((v) => v.name).join(', ') || '<none>');
}

function conditions(doc: Doc, d: Deployment): void {
  const conds = d.status?.conditions ?? [];
  if (conds.length === 0) return;
  doc.kv(0, 'Conditions');
  doc.row(1, 'Type', 'Status', 'Reason').row(1, '----', '------', '------');
  for (const c of conds) doc.row(1, c.type, c.status, c.reason ?? '');
}

/** OldReplicaSets (those still holding pods) and NewReplicaSet (the current revision's). */
function replicaSets(doc: Doc, d: Deployment, ctx: DescribeContext): void {
  const rss = controlledReplicaSets(d, relatedList<ReplicaSet>(ctx, 'replicasets'));
  const hash = (r: ReplicaSet): string | undefined => r.metadata.labels?.['pod-template-hash'];
  const current = rss.find((r) => r.metadata.annotations?.['deployment.kubernetes.io/revision'] === d.metadata.annotations?.['deployment.kubernetes.io/revision'] && hash(r) !== undefined);
  const old = rss.filter((r) => r !== current && ((r.spec.replicas ?? 0) > 0 || (r.status?.replicas ?? 0) > 0));
  doc.kv(0, 'OldReplicaSets', old.length === 0 ? '<none>' : old.map(rsLine).join(', '));
  doc.kv(0, 'NewReplicaSet', current ? rsLine(current) : '<none>');
}

/** kubectl describe deployment, with the ReplicaSets of its namespace and the events about it. */
export const deploymentDescriber: Describer<Deployment> = {
  related: (d) => ({ replicasets: { resource: 'replicasets', namespace: d.metadata.namespace ?? 'default' }, events: eventsAbout('Deployment', d, true) }),
  sections: [summary, podTemplate, conditions, replicaSets, (doc: Doc, d: Deployment, ctx: DescribeContext) => eventsSection(doc, relatedList<Event>(ctx, 'events'), ctx.now)],
};
