/**
 * Names and small helpers the storage kinds share (server, scheduler, agent, lcctl): annotations,
 * finalizers and the provisioner names, as Kubernetes spells them.
 */
import { parseBytes } from './quantity.js';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from './schema/storage.js';
import type { NodeSelectorTerm } from './schema/pod.js';

export type { PersistentVolume, PersistentVolumeClaim, StorageClass, AccessMode } from './schema/storage.js';

/** The StorageClass annotation that makes a class the default for claims that name none. */
export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
/** Set by the scheduler on a WaitForFirstConsumer claim: provision the volume on this node. */
export const SELECTED_NODE_ANNOTATION = 'volume.kubernetes.io/selected-node';
/** Set by the binder on a claim it wants provisioned: which provisioner should do it. */
export const STORAGE_PROVISIONER_ANNOTATION = 'volume.kubernetes.io/storage-provisioner';
/** Set on a PV the binder bound (pv.kubernetes.io/bind-completed on the claim as well). */
export const BIND_COMPLETED_ANNOTATION = 'pv.kubernetes.io/bind-completed';
/** Set on a PV a provisioner made: its name (the PV's deleter). */
export const PROVISIONED_BY_ANNOTATION = 'pv.kubernetes.io/provisioned-by';
/** A claim in use by a live pod is not deleted under it. */
export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
/** A PV bound to a claim is not deleted under it. */
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';
/** Lantern's local-path provisioner (named as k3s's, which it replaces). */
export const LOCAL_PATH_PROVISIONER = 'rancher.io/local-path';
/** The name of the default class the server creates at start. */
export const LOCAL_PATH_CLASS = 'local-path';
/** The Node annotation where an agent publishes the directory under which local-path volumes live. */
export const NODE_STORAGE_DIR_ANNOTATION = 'storage.lantern.dev/local-path-root';
/** Set by the node on a local-path PV: the bytes its directory uses (sizes are reported, not enforced: no project quotas). */
export const LOCAL_PATH_USED_ANNOTATION = 'storage.lantern.dev/used-bytes';

/** The bytes a claim asks for (0 when it names none or an unreadable quantity). */
export function claimRequestBytes(c: PersistentVolumeClaim): number {
  const q = c.spec.resources?.requests?.storage;
  return q === undefined ? 0 : parseBytes(q) ?? 0;
}

/** The bytes a PV holds. */
export function volumeBytes(pv: PersistentVolume): number {
  const q = pv.spec.capacity?.storage;
  return q === undefined ? 0 : parseBytes(q) ?? 0;
}

/** Whether a class is marked the default. */
export function isDefaultClass(sc: StorageClass): boolean {
  return sc.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true';
}

/** kubectl's short form of access modes: RWO, ROX, RWX, RWOP. */
export function accessModesText(modes: readonly string[] | undefined): string {
  const short: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };
  return (modes ?? []).map((m) => short[m] ?? m).join(',');
}

/** A term that selects one node by name: matchFields metadata.name In [x] or kubernetes.io/hostname In [x]. */
function termNode(term: NodeSelectorTerm): string | undefined {
  const byName = (term.matchFields ?? []).filter((f) => f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1);
  const byHost = (term.matchExpressions ?? []).filter((e) => e.key === 'kubernetes.io/hostname' && e.operator === 'In' && e.values?.length === 1);
  const names = new Set([...byName, ...byHost].map((r) => r.values?.[0]));
  return names.size === 1 ? [...names][0] : undefined;
}

/** The one node a PV is pinned to (every required term names it alone), or undefined. */
export function pinnedNode(pv: Pick<PersistentVolume, 'spec'>): string | undefined {
  // spec?: node writes are checked before the schema, so a PV may arrive without one.
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? [];
  const nodes = new Set(terms.map(termNode));
  if (terms.length === 0 || nodes.size !== 1) return undefined;
  return [...nodes][0];
}
