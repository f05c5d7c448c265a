/**
 * Kubernetes' VolumeBinding plugin, made small: a pod's claims must exist; a bound volume's
 * nodeAffinity filters nodes (a local volume pins its pods to its node); a ReadWriteOnce volume in use
 * keeps its other pods on the same node and ReadWriteOncePod allows one pod; an unbound
 * WaitForFirstConsumer claim fits a node that can hold its size, and before the pod is bound the
 * claim is annotated with the chosen node (volume.kubernetes.io/selected-node) so the provisioner
 * makes the volume there. An unbound Immediate claim, an unknown class or a missing claim keeps the
 * pod Pending with a message that says which.
 */
import type { ApiObject, WatchEvent } from '../../api/meta.js';
import type { Pod } from '../../api/pod.js';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../api/schema/storage.js';
import { SELECTED_NODE_ANNOTATION, claimRequestBytes, isDefaultClass } from '../../api/storage.js';
import { parseBytes } from '../../api/quantity.js';
import type { ApiClient } from '../../client/types.js';
import { nodeSelectorTermMatches } from '../framework/labels.js';
import { ExtensionKey, type CacheExtension, type Wake } from '../framework/extension.js';
import { StateKey, type StateData } from '../framework/cycle-state.js';
import type { FilterPlugin, PreFilterPlugin } from '../framework/plugin.js';
import { noPreFilterState } from '../framework/plugin.js';
import { success, unresolvable, unschedulable } from '../framework/status.js';

const claimKey = (ns: string | undefined, name: string): string => `${ns ?? 'default'}/${name}`;
const claimsOf = (pod: Pod): string[] => (pod.spec.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [claimKey(pod.metadata.namespace, v.persistentVolumeClaim.claimName)] : []));

/** The claims, volumes and classes the scheduler follows, and the pending pods of each claim (to wake them). */
export class VolumeStore implements CacheExtension {
  readonly watches = ['persistentvolumeclaims', 'persistentvolumes', 'storageclasses'];
  readonly claims = new Map<string, PersistentVolumeClaim>();
  readonly volumes = new Map<string, PersistentVolume>();
  readonly classes = new Map<string, StorageClass>();
  private readonly waiting = new Map<string, Map<string, Pod>>();

  podChanged(before: Pod | undefined, after: Pod | undefined): Wake {
    for (const p of [before, after]) {
      if (!p) continue;
      for (const k of claimsOf(p)) this.waiting.get(k)?.delete(p.metadata.uid ?? p.metadata.name);
    }
    if (after && !after.spec.nodeName) {
      for (const k of claimsOf(after)) {
        const m = this.waiting.get(k) ?? new Map<string, Pod>();
        m.set(after.metadata.uid ?? after.metadata.name, after);
        this.waiting.set(k, m);
      }
    }
    return undefined;
  }

  objectChanged(resource: string, event: WatchEvent<ApiObject>): Wake {
    const o = event.object;
    const gone = event.type === 'DELETED';
    if (resource === 'persistentvolumeclaims') {
      const k = claimKey(o.metadata.namespace, o.metadata.name);
      if (gone) this.claims.delete(k); else this.claims.set(k, o as PersistentVolumeClaim);
      return [...(this.waiting.get(k)?.values() ?? [])];
    }
    const map = resource === 'persistentvolumes' ? this.volumes : this.classes;
    if (gone) map.delete(o.metadata.name); else (map as Map<string, ApiObject>).set(o.metadata.name, o);
    if (resource === 'persistentvolumes') {
      const ref = (o as PersistentVolume).spec.claimRef;
      if (ref?.name) return [...(this.waiting.get(claimKey(ref.namespace, ref.name))?.values() ?? [])];
    }
    return undefined;
  }

  /** The class a claim's volume comes from: its own, else the default (undefined: none). */
  classOf(c: PersistentVolumeClaim): StorageClass | undefined {
    if (c.spec.storageClassName !== undefined) return this.classes.get(c.spec.storageClassName);
    return [...this.classes.values()].find(isDefaultClass);
  }
}

/** The cache extension key of the volume store. */
export const volumeStoreKey = new ExtensionKey<VolumeStore>('VolumeBinding', () => new VolumeStore());

/** What the filter checks on each node for one pod. */
class VolumeState implements StateData {
  constructor(
    readonly volumes: PersistentVolume[],
    /** ReadWriteOnce volumes in use: the node each is on (the pod must join it). */
    readonly pinnedTo: Map<string, string>,
    /** Bytes of the unbound WaitForFirstConsumer claims, which the chosen node must hold. */
    readonly unboundBytes: number,
  ) {}
  clone(): VolumeState { return this; }
}
const stateKey = new StateKey<VolumeState>('VolumeBinding');

/** The VolumeBinding PreFilter and Filter. */
export const volumeBinding = {
  name: 'VolumeBinding',
  extension: volumeStoreKey,
  preFilter(pod, snapshot, state) {
    const keys = claimsOf(pod);
    if (keys.length === 0) { state.skippedFilters.add('VolumeBinding'); return success; }
    const store = snapshot.extensions?.get(volumeStoreKey);
    if (!store) { state.skippedFilters.add('VolumeBinding'); return success; }
    const volumes: PersistentVolume[] = [];
    const pinnedTo = new Map<string, string>();
    let unboundBytes = 0;
    for (const k of keys) {
      const claim = store.claims.get(k);
      const name = k.slice(k.indexOf('/') + 1);
      if (!claim) return unresolvable(`persistentvolumeclaim "${name}" not found`);
      if (claim.metadata.deletionTimestamp) return unresolvable(`persistentvolumeclaim "${name}" is being deleted`);
      if (!claim.spec.volumeName) {
        const sc = store.classOf(claim);
        if (claim.spec.storageClassName && !sc) return unresolvable(`persistentvolumeclaim "${name}": storageclass.storage.k8s.io "${claim.spec.storageClassName}" not found`);
        if (sc?.volumeBindingMode !== 'WaitForFirstConsumer') return unresolvable('pod has unbound immediate PersistentVolumeClaims');
        unboundBytes += claimRequestBytes(claim);
        continue;
      }
      const pv = store.volumes.get(claim.spec.volumeName);
      if (!pv) return unresolvable(`persistentvolumeclaim "${name}" is bound to volume "${claim.spec.volumeName}", which is not found`);
      volumes.push(pv);
      const modes = pv.spec.accessModes ?? claim.spec.accessModes ?? [];
      const users = snapshot.nodes.flatMap((n) => n.pods.filter((p) => p.metadata.uid !== pod.metadata.uid && claimsOf(p).includes(k)).map(() => n.name));
      if (modes.includes('ReadWriteOncePod') && users.length > 0) return unresolvable(`persistentvolumeclaim "${name}" is ReadWriteOncePod and already used by another pod`);
      if (modes.includes('ReadWriteOnce') && !modes.includes('ReadWriteMany') && !modes.includes('ReadOnlyMany') && users[0] !== undefined) pinnedTo.set(name, users[0]);
    }
    state.write(stateKey, new VolumeState(volumes, pinnedTo, unboundBytes));
    return success;
  },
  filter(_pod, node, state) {
    const s = state.read(stateKey);
    if (!s) return noPreFilterState('VolumeBinding');
    for (const pv of s.volumes) {
      const terms = pv.spec.nodeAffinity?.required?.nodeSelectorTerms;
      if (terms && !terms.some((t) => nodeSelectorTermMatches(t, node.node))) return unresolvable('node(s) had volume node affinity conflict');
    }
    for (const [claim, on] of s.pinnedTo) {
      if (on !== node.name) return unschedulable(`node(s) unavailable due to one or more pvc(s) bound to non-existent nodes or in use on another node: "${claim}" is ReadWriteOnce and in use on node ${on}`);
    }
    if (s.unboundBytes > 0) {
      const cap = node.node.status?.capacity?.['ephemeral-storage'] ?? node.node.status?.capacity?.['storage'];
      const bytes = cap === undefined ? undefined : parseBytes(cap);
      if (bytes !== undefined && bytes < s.unboundBytes) return unresolvable('node(s) did not have enough free storage');
    }
    return success;
  },
} satisfies PreFilterPlugin & FilterPlugin;

/**
 * The PreBind step: each unbound claim of the pod whose class waits for its first consumer gets
 * volume.kubernetes.io/selected-node = node, so the PV controller provisions it there.
 */
export async function selectNodeForClaims(api: ApiClient, pod: Pod, node: string): Promise<void> {
  const ns = pod.metadata.namespace ?? 'default';
  for (const v of pod.spec.volumes ?? []) {
    if (!v.persistentVolumeClaim) continue;
    const claim = await api.get<PersistentVolumeClaim>('persistentvolumeclaims', v.persistentVolumeClaim.claimName, ns).catch(() => undefined);
    if (!claim || claim.spec.volumeName || claim.metadata.annotations?.[SELECTED_NODE_ANNOTATION] === node) continue;
    await api.update<PersistentVolumeClaim>('persistentvolumeclaims', { ...claim, metadata: { ...claim.metadata, annotations: { ...claim.metadata.annotations, [SELECTED_NODE_ANNOTATION]: node } } });
  }
}
