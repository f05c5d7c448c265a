import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import { NodeInfo, holdsResources } from './node-info.js';

/** An immutable view of the cluster for one scheduling cycle. */
export interface Snapshot {
  nodes: readonly NodeInfo[];
}

/** Build a snapshot from nodes and the pods bound to them. */
export function buildSnapshot(nodes: Iterable<Node>, pods: Iterable<Pod>): Snapshot {
  const byName = new Map<string, NodeInfo>();
  for (const n of nodes) byName.set(n.metadata.name, new NodeInfo(n));
  for (const p of pods) {
    if (!p.spec.nodeName || !holdsResources(p)) continue;
    byName.get(p.spec.nodeName)?.addPod(p);
  }
  return { nodes: [...byName.values()].sort((a, b) => a.name.localeCompare(b.name)) };
}
