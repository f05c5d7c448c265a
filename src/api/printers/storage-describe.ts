/** `describe pvc` and `describe pv` as kubectl writes them: the object, who uses it, its events. */
import type { PersistentVolume, PersistentVolumeClaim } from '../schema/storage.js';
import type { Pod } from '../schema/pod.js';
import type { Doc } from './doc.js';
import { relatedList, type DescribeContext, type Describer } from './describe.js';
import { eventsAbout, eventsOf, eventsSection } from './events.js';
import { accessModesText } from '../storage.js';

/** The names of the pods in the list that mount this claim, "<none>" when none (kubectl's "Used By"). */
export function usedBy(pods: readonly Pod[], claim: PersistentVolumeClaim): string[] {
  const names = pods
    .filter((p) => (p.spec.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === claim.metadata.name))
    .filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed')
    .map((p) => p.metadata.name);
  return names.length === 0 ? ['<none>'] : names;
}

function claimSummary(doc: Doc, c: PersistentVolumeClaim, ctx: DescribeContext): void {
  doc.kv(0, 'Name', c.metadata.name).kv(0, 'Namespace', c.metadata.namespace ?? 'default');
  doc.kv(0, 'StorageClass', c.spec.storageClassName ?? '');
  doc.kv(0, 'Status', c.metadata.deletionTimestamp ? `Terminating (lasts since ${c.metadata.deletionTimestamp})` : c.status?.phase ?? 'Pending');
  doc.kv(0, 'Volume', c.spec.volumeName ?? '');
  doc.map(0, 'Labels', c.metadata.labels).map(0, 'Annotations', c.metadata.annotations, ': ');
  doc.kv(0, 'Finalizers', `[${(c.metadata.finalizers ?? []).join(' ')}]`);
  doc.kv(0, 'Capacity', String(c.status?.capacity?.storage ?? ''));
  doc.kv(0, 'Requested', String(c.spec.resources?.requests?.storage ?? ''));
  doc.kv(0, 'Access Modes', accessModesText(c.status?.accessModes ?? c.spec.accessModes));
  doc.kv(0, 'VolumeMode', c.spec.volumeMode ?? 'Filesystem');
  doc.kv(0, 'Used By', usedBy(relatedList<Pod>(ctx, 'pods'), c));
  const conditions = c.status?.conditions ?? [];
  if (conditions.length > 0) {
    doc.kv(0, 'Conditions');
    doc.row(1, 'Type', 'Status', 'Reason', 'Message');
    for (const cond of conditions) doc.row(1, cond.type, cond.status, cond.reason ?? '', cond.message ?? '');
  }
}

/** kubectl describe pvc: the claim, its volume, the pods that use it, events. */
export const persistentVolumeClaimDescriber: Describer<PersistentVolumeClaim> = {
  related: (c) => ({
    pods: { resource: 'pods', namespace: c.metadata.namespace ?? 'default', optional: true },
    events: eventsAbout('PersistentVolumeClaim', c, true),
  }),
  sections: [claimSummary, (doc: Doc, c: PersistentVolumeClaim, ctx: DescribeContext) => eventsSection(doc, eventsOf(ctx, c), ctx.now)],
};

function source(doc: Doc, pv: PersistentVolume): void {
  doc.kv(0, 'Source');
  const s = pv.spec;
  if (s.local) doc.kv(1, 'Type', 'LocalVolume (a persistent volume backed by local storage on a node)').kv(1, 'Path', s.local.path);
  else if (s.hostPath) doc.kv(1, 'Type', 'HostPath (bare host directory volume)').kv(1, 'Path', s.hostPath.path);
  else if (s.nfs) doc.kv(1, 'Type', 'NFS (an NFS mount that lasts the lifetime of a pod)').kv(1, 'Server', s.nfs.server).kv(1, 'Path', s.nfs.path);
  else if (s.csi) doc.kv(1, 'Type', 'CSI (a Container Storage Interface (CSI) volume source)').kv(1, 'Driver', s.csi.driver).kv(1, 'VolumeHandle', s.csi.volumeHandle);
}

function volumeSummary(doc: Doc, pv: PersistentVolume): void {
  doc.kv(0, 'Name', pv.metadata.name);
  doc.map(0, 'Labels', pv.metadata.labels).map(0, 'Annotations', pv.metadata.annotations, ': ');
  doc.kv(0, 'Finalizers', `[${(pv.metadata.finalizers ?? []).join(' ')}]`);
  doc.kv(0, 'StorageClass', pv.spec.storageClassName ?? '');
  doc.kv(0, 'Status', pv.metadata.deletionTimestamp ? 'Terminating' : pv.status?.phase ?? 'Pending');
  doc.kv(0, 'Claim', pv.spec.claimRef?.name ? `${pv.spec.claimRef.namespace ?? 'default'}/${pv.spec.claimRef.name}` : '');
  doc.kv(0, 'Reclaim Policy', pv.spec.persistentVolumeReclaimPolicy ?? 'Retain');
  doc.kv(0, 'Access Modes', accessModesText(pv.spec.accessModes));
  doc.kv(0, 'VolumeMode', pv.spec.volumeMode ?? 'Filesystem');
  doc.kv(0, 'Capacity', String(pv.spec.capacity?.storage ?? ''));
  const terms = pv.spec.nodeAffinity?.required?.nodeSelectorTerms ?? [];
  doc.kv(0, 'Node Affinity', terms.length === 0 ? '<none>' : terms.map((t) => (t.matchExpressions ?? []).map((e) => `${e.key} ${e.operator.toLowerCase()} [${(e.values ?? []).join(' ')}]`).join(', ')));
  doc.kv(0, 'Message', pv.status?.message ?? '');
  source(doc, pv);
}

/** kubectl describe pv: the volume, its claim and source, events. */
export const persistentVolumeDescriber: Describer<PersistentVolume> = {
  related: (pv) => ({ events: eventsAbout('PersistentVolume', pv, true) }),
  sections: [volumeSummary, (doc: Doc, pv: PersistentVolume, ctx: DescribeContext) => eventsSection(doc, eventsOf(ctx, pv), ctx.now)],
};
