import type { Pod } from '../api/pod.js';
import { labelCountKey, podNamespace, type NodeInfo } from './framework/node-info.js';

const none: readonly NodeInfo[] = [];

/**
 * For each namespace and label pair (labelCountKey), the nodes that have at least one counted pod
 * carrying it: a one-label selector (a group of replicas) then visits the few nodes that have such
 * pods instead of all 5,000. Kept by the scheduler's cache from the NodeInfos' own label counts.
 */
export class LabelNodes {
  private readonly byKey = new Map<string, Set<NodeInfo>>();

  /** Bring pod's labels up to date for info, after the pod was added to or removed from it. */
  update(info: NodeInfo, pod: Pod): void {
    const ns = podNamespace(pod);
    for (const [k, v] of Object.entries(pod.metadata.labels ?? {})) {
      const key = labelCountKey(ns, k, v);
      let nodes = this.byKey.get(key);
      if (info.podsWithLabelKey(key) > 0) {
        if (!nodes) { nodes = new Set(); this.byKey.set(key, nodes); }
        nodes.add(info);
      } else if (nodes) this.drop(nodes, key, info);
    }
  }

  /** The node leaves the cluster: it no longer has pod's labels. */
  forget(info: NodeInfo, pod: Pod): void {
    const ns = podNamespace(pod);
    for (const [k, v] of Object.entries(pod.metadata.labels ?? {})) {
      const key = labelCountKey(ns, k, v);
      const nodes = this.byKey.get(key);
      if (nodes) this.drop(nodes, key, info);
    }
  }

  /** The nodes with pods carrying countKey's label (an arrow, so the snapshot can hand it out). */
  readonly lookup = (countKey: string): Iterable<NodeInfo> => this.byKey.get(countKey) ?? none;

  private drop(nodes: Set<NodeInfo>, key: string, info: NodeInfo): void {
    nodes.delete(info);
    if (nodes.size === 0) this.byKey.delete(key);
  }
}
