import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import { parseBytes, parseCpuMillis, parseQuantity } from '../../api/quantity.js';

/** Resource amounts: cpu in millicores, memory in bytes, pods and extended resources as counts. */
export type Resources = Record<string, number>;

function toAmount(name: string, value: string | number): number {
  if (name === 'cpu') return parseCpuMillis(value) ?? 0;
  if (name === 'memory' || name === 'ephemeral-storage') return parseBytes(value) ?? 0;
  return parseQuantity(value) ?? 0;
}

/** What a pod asks for: the sum of its containers' requests (a limit alone counts as the request). */
export function podRequests(pod: Pod): Resources {
  const total: Resources = { pods: 1 };
  for (const c of pod.spec.containers) {
    const names = new Set([...Object.keys(c.resources?.requests ?? {}), ...Object.keys(c.resources?.limits ?? {})]);
    for (const name of names) {
      const q = c.resources?.requests?.[name] ?? c.resources?.limits?.[name];
      if (q !== undefined) total[name] = (total[name] ?? 0) + toAmount(name, q);
    }
  }
  return total;
}

/** A node's allocatable resources as numbers. */
export function nodeAllocatable(node: Node): Resources {
  const out: Resources = {};
  for (const [name, q] of Object.entries(node.status?.allocatable ?? node.status?.capacity ?? {})) out[name] = toAmount(name, q);
  return out;
}

/** Pods that still hold resources on their node (not finished). */
export const holdsResources = (pod: Pod): boolean => pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';

/** One node as the scheduler sees it in a snapshot: the node and what its pods request. */
export class NodeInfo {
  readonly allocatable: Resources;
  readonly requested: Resources = {};
  readonly pods: Pod[] = [];
  constructor(readonly node: Node) { this.allocatable = nodeAllocatable(node); }

  addPod(pod: Pod): void {
    this.pods.push(pod);
    for (const [k, v] of Object.entries(podRequests(pod))) this.requested[k] = (this.requested[k] ?? 0) + v;
  }

  /** Take a pod off the node (preemption trying it without a victim); false when it is not here. */
  removePod(pod: Pod): boolean {
    const i = this.pods.findIndex((p) => samePod(p, pod));
    if (i < 0) return false;
    this.pods.splice(i, 1);
    for (const [k, v] of Object.entries(podRequests(pod))) this.requested[k] = (this.requested[k] ?? 0) - v;
    return true;
  }

  /** A copy whose pods can change without touching the snapshot. */
  clone(): NodeInfo {
    const out = new NodeInfo(this.node);
    for (const p of this.pods) out.addPod(p);
    return out;
  }

  get name(): string { return this.node.metadata.name; }
}

/** The same pod: by uid when both have one, else by namespace and name. */
export function samePod(a: Pod, b: Pod): boolean {
  if (a.metadata.uid && b.metadata.uid) return a.metadata.uid === b.metadata.uid;
  return a.metadata.name === b.metadata.name && (a.metadata.namespace ?? 'default') === (b.metadata.namespace ?? 'default');
}

/** spec.priority, 0 when unset (the API server fills it from the PriorityClass). */
export const podPriority = (pod: Pod): number => pod.spec.priority ?? 0;

/** The pod's namespace, "default" when unset. */
export const podNamespace = (pod: Pod): string => pod.metadata.namespace ?? 'default';
