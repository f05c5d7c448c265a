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
  get name(): string { return this.node.metadata.name; }
}
