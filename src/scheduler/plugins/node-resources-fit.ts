import type { FilterPlugin, ScorePlugin } from '../framework/plugin.js';
import { podRequests } from '../framework/node-info.js';
import { success, unschedulable } from '../framework/status.js';

/** The pod's requests (cpu, memory, pods, extended resources) must fit the node's free allocatable. */
export const nodeResourcesFit = {
  name: 'NodeResourcesFit',
  filter(pod, node) {
    const reasons: string[] = [];
    for (const [name, amount] of Object.entries(podRequests(pod))) {
      if (amount === 0) continue;
      const free = (node.allocatable[name] ?? 0) - (node.requested[name] ?? 0);
      if (amount > free) reasons.push(name === 'pods' ? 'Too many pods' : `Insufficient ${name}`);
    }
    return reasons.length === 0 ? success : unschedulable(...reasons);
  },
} satisfies FilterPlugin;

/** Prefer the node with the most free cpu and memory after placing the pod (spreads load). */
export const leastAllocated = {
  name: 'NodeResourcesLeastAllocated',
  score(pod, node) {
    const req = podRequests(pod);
    let total = 0;
    let counted = 0;
    for (const name of ['cpu', 'memory']) {
      const alloc = node.allocatable[name] ?? 0;
      if (alloc <= 0) continue;
      const used = (node.requested[name] ?? 0) + (req[name] ?? 0);
      total += Math.max(0, (alloc - used) / alloc) * 100;
      counted++;
    }
    return counted === 0 ? 0 : total / counted;
  },
} satisfies ScorePlugin;
