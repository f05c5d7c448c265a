import type { Node } from '../api/node.js';
import type { Pod } from '../api/pod.js';
import { NodeInfo, holdsResources } from './framework/node-info.js';
import { nominatedNode, type Snapshot } from './framework/snapshot.js';
import { imagesOf } from './plugins/image-locality.js';
import { AffinityIndex } from './plugins/inter-pod-affinity-index.js';
import { LabelNodes } from './label-nodes.js';

/** namespace/name: the key of a pod in the cache and the queue. */
export const podKey = (p: Pod): string => `${p.metadata.namespace ?? 'default'}/${p.metadata.name}`;

/**
 * The scheduler's view of the cluster, kept up to date from the watches one event at a time, so a
 * cycle costs what the pod needs rather than a rebuild of 5,000 nodes and 100,000 pods. The snapshot
 * it hands out is the live structure: cycles are synchronous, so nothing changes while one runs.
 */
export class SchedulerCache {
  private readonly allPods = new Map<string, Pod>();
  private readonly infos = new Map<string, NodeInfo>();
  /** Where each resource-holding pod is counted (its node may not have arrived yet). */
  private readonly placed = new Map<string, { node: string; pod: Pod }>();
  private readonly imageCounts = new Map<string, number>();
  private sorted: NodeInfo[] | undefined;
  /** Pending pods nominated by preemption: where each is nominated, and the list per node. */
  private readonly nominatedTo = new Map<string, string>();
  private nominated: Map<string, Pod[]> | undefined;
  /** Placed pods' affinity terms per topology domain (of the nodes they are counted on). */
  private readonly affinityIndex = new AffinityIndex();
  /** Which nodes have pods with each label, so one-label selectors look only at those nodes. */
  private readonly labelNodes = new LabelNodes();

  getPod(key: string): Pod | undefined { return this.allPods.get(key); }
  pods(): IterableIterator<Pod> { return this.allPods.values(); }
  get nodeCount(): number { return this.infos.size; }

  /** Add or replace a node. True when the change could let a waiting pod fit (not a mere heartbeat). */
  setNode(node: Node): boolean {
    const name = node.metadata.name;
    const info = this.infos.get(name);
    if (info) {
      const changed = schedulingChanged(info.node, node);
      this.countImages(info.node, -1);
      // The node's labels place its pods' terms in domains: move them if the labels changed.
      const relabelled = changed && JSON.stringify(info.node.metadata.labels ?? {}) !== JSON.stringify(node.metadata.labels ?? {});
      if (relabelled) for (const p of info.podsWithAffinity) this.affinityIndex.place(p, info.node, -1);
      info.setNode(node);
      if (relabelled) for (const p of info.podsWithAffinity) this.affinityIndex.place(p, node, 1);
      this.countImages(node, 1);
      return changed;
    }
    const fresh = new NodeInfo(node);
    for (const { node: on, pod } of this.placed.values()) if (on === name) this.addTo(fresh, pod);
    this.infos.set(name, fresh);
    this.countImages(node, 1);
    this.sorted = undefined;
    return true;
  }

  deleteNode(name: string): void {
    const info = this.infos.get(name);
    if (!info) return;
    this.countImages(info.node, -1);
    for (const p of info.podsWithAffinity) this.affinityIndex.place(p, info.node, -1);
    for (const p of info.pods) this.labelNodes.forget(info, p);
    this.infos.delete(name);
    this.sorted = undefined;
  }

  /** Add or replace a pod; bound pods that hold resources count on their node. */
  setPod(pod: Pod): void {
    const key = podKey(pod);
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
  }

  deletePod(key: string): void {
    this.allPods.delete(key);
    this.unplace(key);
    this.nominate(key, undefined);
  }

  private nominate(key: string, pod: Pod | undefined): void {
    const node = pod && nominatedNode(pod);
    const before = this.nominatedTo.get(key);
    if (node) this.nominatedTo.set(key, node); else this.nominatedTo.delete(key);
    if (before !== undefined || node !== undefined) this.nominated = undefined;
  }

  /** The nodes in name order (sorted again only after nodes come or go) and the image counts. */
  snapshot(): Snapshot {
    this.sorted ??= [...this.infos.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (!this.nominated) {
      this.nominated = new Map();
      for (const [key, node] of this.nominatedTo) {
        const pod = this.allPods.get(key);
        if (pod) this.nominated.set(node, [...(this.nominated.get(node) ?? []), pod]);
      }
    }
    return {
      nodes: this.sorted, imageNodeCounts: this.imageCounts, nominatedPods: this.nominated,
      existingAffinity: this.affinityIndex, nodesWithLabel: this.labelNodes.lookup,
    };
  }

  /** Count pod on the node, in the node's pods, the affinity index and the label index. */
  private addTo(info: NodeInfo, pod: Pod): void {
    info.addPod(pod);
    this.affinityIndex.place(pod, info.node, 1);
    this.labelNodes.update(info, pod);
  }

  private unplace(key: string): void {
    const at = this.placed.get(key);
    if (!at) return;
    const info = this.infos.get(at.node);
    if (info?.removePod(at.pod)) {
      this.affinityIndex.place(at.pod, info.node, -1);
      this.labelNodes.update(info, at.pod);
    }
    this.placed.delete(key);
  }

  private countImages(node: Node, delta: number): void {
    for (const image of imagesOf(node).keys()) {
      const n = (this.imageCounts.get(image) ?? 0) + delta;
      if (n <= 0) this.imageCounts.delete(image); else this.imageCounts.set(image, n);
    }
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
