import type { FilterPlugin, ScorePlugin } from '../framework/plugin.js';
import type { Pod } from '../../api/pod.js';
import { podRequests, type NodeInfo } from '../framework/node-info.js';

/** The pod's non-zero requests as a list, once per Pod object (the filter runs on hundreds of nodes per pod). */
const requestLists = new WeakMap<Pod, [string, number][]>();
function requestList(pod: Pod): [string, number][] {
  let list = requestLists.get(pod);
  if (!list) { list = Object.entries(podRequests(pod)).filter(([, amount]) => amount !== 0); requestLists.set(pod, list); }
  return list;
}
import { success, unschedulable } from '../framework/status.js';

/** The pod's requests (cpu, memory, pods, extended resources) must fit the node's free allocatable. */
export const nodeResourcesFit = {
  name: 'NodeResourcesFit',
  filter(pod, node) {
    let reasons: string[] | undefined;
    for (const [name, amount] of requestList(pod)) {
      const free = (node.allocatable[name] ?? 0) - (node.requested[name] ?? 0);
      if (amount > free) (reasons ??= []).push(name === 'pods' ? 'Too many pods' : `Insufficient ${name}`);
    }
    return reasons === undefined ? success : unschedulable(...reasons);
  },
} satisfies FilterPlugin;

/** How NodeResourcesFit scores: spread pods out (LeastAllocated) or pack them tight (MostAllocated). */
export type ScoringStrategy = 'LeastAllocated' | 'MostAllocated';

/** Average over cpu and memory (those the node reports) of a 0..100 score of used and allocatable. */
function resourceScore(pod: Pod, node: NodeInfo, perResource: (used: number, alloc: number) => number): number {
  const req = podRequests(pod);
  let total = 0;
  let counted = 0;
  for (const name of ['cpu', 'memory']) {
    const alloc = node.allocatable[name] ?? 0;
    if (alloc <= 0) continue;
    total += perResource((node.requested[name] ?? 0) + (req[name] ?? 0), alloc);
    counted++;
  }
  return counted === 0 ? 0 : total / counted;
}

/** Prefer the node with the most free cpu and memory after placing the pod (spreads load). */
export const leastAllocated = {
  name: 'NodeResourcesLeastAllocated',
  score: (pod, node) => resourceScore(pod, node, (used, alloc) => Math.max(0, (alloc - used) / alloc) * 100),
} satisfies ScorePlugin;

/** Prefer the node with the least free cpu and memory after placing the pod (bin-packing: frees whole nodes). */
export const mostAllocated = {
  name: 'NodeResourcesMostAllocated',
  score: (pod, node) => resourceScore(pod, node, (used, alloc) => (Math.min(used, alloc) / alloc) * 100),
} satisfies ScorePlugin;

/** The score plugin for a strategy. */
export const resourcesScorer = (strategy: ScoringStrategy): ScorePlugin => (strategy === 'MostAllocated' ? mostAllocated : leastAllocated);
