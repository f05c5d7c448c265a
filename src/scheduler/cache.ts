import type { Node } from '../api/node.js';
import type { Pod } from '../api/pod.js';
import type { ApiObject, WatchEvent } from '../api/meta.js';
import { Extensions, mergeWake, type CacheExtension, type ExtensionKey, type Wake } from './framework/extension.js';
import { NodeInfo, holdsResources } from './framework/node-info.js';
import { nominatedNode, type Snapshot } from './framework/snapshot.js';
import { LabelNodes } from './label-nodes.js';

/** namespace/name: the key of a pod in the cache and the queue. */
export const podKey = (p: Pod): string => `${p.metadata.namespace ?? 'default'}/${p.metadata.name}`;

/**
 * The scheduler's view of the cluster, kept up to date from the watches one event at a time, so a
 * cycle costs what the pod needs rather than a rebuild of 5,000 nodes and 100,000 pods. The snapshot
 * it hands out is the live structure: cycles are synchronous, so nothing changes while one runs.
 * Plugins' data (indexes, counts, memberships) lives in their cache extensions, which it tells of
 * every change; it knows no plugin.
 */
export class SchedulerCache {
  private readonly allPods = new Map<string, Pod>();
  private readonly infos = new Map<string, NodeInfo>();
  /** Where each resource-holding pod is counted (its node may not have arrived yet). */
  private readonly placed = new Map<string, { node: string; pod: Pod }>();
  private sorted: NodeInfo[] | undefined;
  /** Pending pods nominated by preemption: where each is nominated, and the list per node. */
  private readonly nominatedTo = new Map<string, string>();
  private nominated: Map<string, Pod[]> | undefined;
  /** Which nodes have pods with each label, so one-label selectors look only at those nodes. */
  private readonly labelNodes = new LabelNodes();
  /** The plugins' data, kept from the same events. */
  readonly extensions: Extensions;
  private readonly tell: readonly CacheExtension[];

  /** keys: the extensions the profile's plugins register (framework/plugin.ts extensionsOf). */
  constructor(keys: Iterable<ExtensionKey<CacheExtension>> = []) {
    this.extensions = new Extensions(keys);
    this.tell = this.extensions.all;
  }

  getPod(key: string): Pod | undefined { return this.allPods.get(key); }
  pods(): IterableIterator<Pod> { return this.allPods.values(); }
  get nodeCount(): number { return this.infos.size; }

  /** Add or replace a node. True when the change could let a waiting pod fit (not a mere heartbeat). */
  setNode(node: Node): boolean {
    const name = node.metadata.name;
    const info = this.infos.get(name);
    if (info) {
      const before = info.node;
      const changed = schedulingChanged(before, node);
      info.setNode(node);
      if (changed) for (const e of this.tell) e.nodeChanged?.(before, node, info);
      return changed;
    }
    const fresh = new NodeInfo(node);
    for (const { node: on, pod } of this.placed.values()) if (on === name) this.addTo(fresh, pod);
    this.infos.set(name, fresh);
    for (const e of this.tell) e.nodeChanged?.(undefined, node, fresh);
    this.sorted = undefined;
    return true;
  }

  deleteNode(name: string): void {
    const info = this.infos.get(name);
    if (!info) return;
    for (const e of this.tell) e.nodeChanged?.(info.node, undefined, info);
    for (const p of info.pods) this.labelNodes.forget(info, p);
    this.infos.delete(name);
    this.sorted = undefined;
  }

  /** An object of a resource some extension follows (Extensions.watched) changed; which parked pods it may help. */
  objectChanged(resource: string, event: WatchEvent<ApiObject>): Wake {
    let wake: Wake;
    for (const e of this.tell) if (e.watches?.includes(resource)) wake = mergeWake(wake, e.objectChanged?.(resource, event));
    return wake;
  }

  /** Reserve: count pod on node now, before its binding is written (kube-scheduler's assume). */
  assume(pod: Pod, node: string): void { this.setPod({ ...pod, spec: { ...pod.spec, nodeName: node } }); }

  /** Undo assume: the pod as it was. */
  forget(pod: Pod): void { this.setPod(pod); }

  /** Add or replace a pod; bound pods that hold resources count on their node. Says which parked pods it may help. */
  setPod(pod: Pod): Wake {
    const key = podKey(pod);
    const before = this.allPods.get(key);
    this.allPods.set(key, pod);
    this.nominate(key, pod);
    const old = this.placed.get(key);
    const node = pod.spec.nodeName && holdsResources(pod) ? pod.spec.nodeName : undefined;
    if (old) this.unplace(key);
    if (node) {
      this.placed.set(key, { node, pod });
      const info = this.infos.get(node);
      if (info) this.addTo(info, pod);
    }
    return this.podChanged(before, pod);
  }

  deletePod(key: string): void {
    const before = this.allPods.get(key);
    this.allPods.delete(key);
    this.unplace(key);
    this.nominate(key, undefined);
    if (before) this.podChanged(before, undefined);
  }

  private podChanged(before: Pod | undefined, after: Pod | undefined): Wake {
    let wake: Wake;
    for (const e of this.tell) if (e.podChanged) wake = mergeWake(wake, e.podChanged(before, after));
    return wake;
  }

  private nominate(key: string, pod: Pod | undefined): void {
    const node = pod && nominatedNode(pod);
    const before = this.nominatedTo.get(key);
    if (node) this.nominatedTo.set(key, node); else this.nominatedTo.delete(key);
    if (before !== undefined || node !== undefined) this.nominated = undefined;
  }

  /** The nodes in name order (sorted again only after nodes come or go), with the extensions. */
  snapshot(): Snapshot {
    this.sorted ??= [...this.infos.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (!this.nominated) {
      this.nominated = new Map();
      for (const [key, node] of this.nominatedTo) {
        const pod = this.allPods.get(key);
        if (pod) this.nominated.set(node, [...(this.nominated.get(node) ?? []), pod]);
      }
    }
    return { nodes: this.sorted, nominatedPods: this.nominated, extensions: this.extensions, nodesWithLabel: this.labelNodes.lookup };
  }

  /** Count pod on the node, in the node's pods, the label index and the extensions. */
  private addTo(info: NodeInfo, pod: Pod): void {
    info.addPod(pod);
    this.labelNodes.update(info, pod);
    for (const e of this.tell) e.podPlaced?.(pod, info.node, 1);
  }

  private unplace(key: string): void {
    const at = this.placed.get(key);
    if (!at) return;
    const info = this.infos.get(at.node);
    if (info?.removePod(at.pod)) {
      this.labelNodes.update(info, at.pod);
      for (const e of this.tell) e.podPlaced?.(at.pod, info.node, -1);
    }
    this.placed.delete(key);
  }
}

/** The Ready condition's status ("True", "False", "Unknown"), if reported. */
const readyStatus = (n: Node): string | undefined => n.status?.conditions?.find((c) => c.type === 'Ready')?.status;

/**
 * What the filters read changed: labels, spec (taints, unschedulable), allocatable, readiness or the
 * images. A heartbeat that only moves timestamps does not wake the unschedulable pods.
 */
export function schedulingChanged(a: Node, b: Node): boolean {
  return JSON.stringify(a.metadata.labels ?? {}) !== JSON.stringify(b.metadata.labels ?? {})
    || JSON.stringify(a.spec ?? {}) !== JSON.stringify(b.spec ?? {})
    || JSON.stringify(a.status?.allocatable ?? a.status?.capacity ?? {}) !== JSON.stringify(b.status?.allocatable ?? b.status?.capacity ?? {})
    || readyStatus(a) !== readyStatus(b)
    || JSON.stringify(a.status?.images ?? []) !== JSON.stringify(b.status?.images ?? []);
}
