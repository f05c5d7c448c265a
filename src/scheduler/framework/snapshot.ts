import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import type { Extensions } from './extension.js';
import { NodeInfo, holdsResources } from './node-info.js';

/** A view of the cluster for one scheduling cycle; plugins read it and never change it. */
export interface Snapshot {
  nodes: readonly NodeInfo[];
  /** Data the plugins' cache extensions keep (framework/extension.ts), when the snapshot's owner keeps them (else plugins compute without). */
  extensions?: Extensions;
  /** The nodes with at least one pod carrying a label, by labelCountKey, when kept (else look at every node). */
  nodesWithLabel?: (countKey: string) => Iterable<NodeInfo>;
  /** Pending pods nominated to each node by preemption (status.nominatedNodeName), by node name. */
  nominatedPods?: ReadonlyMap<string, readonly Pod[]>;
}

/** Pending pods (not bound, not terminating) that preemption nominated to a node. */
export const nominatedNode = (p: Pod): string | undefined =>
  !p.spec.nodeName && !p.metadata.deletionTimestamp ? p.status?.nominatedNodeName || undefined : undefined;

/** Build a snapshot from nodes and the pods bound to them (tests, and one-off decisions). */
export function buildSnapshot(nodes: Iterable<Node>, pods: Iterable<Pod>): Snapshot {
  const byName = new Map<string, NodeInfo>();
  const nominatedPods = new Map<string, Pod[]>();
  for (const n of nodes) byName.set(n.metadata.name, new NodeInfo(n));
  for (const p of pods) {
    const nominated = nominatedNode(p);
    if (nominated) nominatedPods.set(nominated, [...(nominatedPods.get(nominated) ?? []), p]);
    if (!p.spec.nodeName || !holdsResources(p)) continue;
    byName.get(p.spec.nodeName)?.addPod(p);
  }
  return { nodes: [...byName.values()].sort((a, b) => a.name.localeCompare(b.name)), nominatedPods };
}
