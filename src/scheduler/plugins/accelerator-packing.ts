/**
 * AcceleratorPacking: MostAllocated over the extended resources the pod asks for (whole GPUs, GPU
 * memory fractions, NPUs, device plugins' resources), so a 1-GPU pod goes where GPUs are already in
 * use and whole free nodes stay for 8-GPU jobs. Kubernetes gets this by listing nvidia.com/gpu in
 * NodeResourcesFit's MostAllocated resources; here it is its own score so cpu and memory keep
 * spreading (LeastAllocated) while accelerators pack. LeastAllocated is kept as a strategy for the
 * benchmark's comparison.
 */
import type { Pod } from '../../api/pod.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { ScorePlugin } from '../framework/plugin.js';
import { extendedRequests } from './accelerator-requests.js';

/** Pack accelerators (the default) or spread them. */
export type AcceleratorStrategy = 'MostAllocated' | 'LeastAllocated';

function score(pod: Pod, node: NodeInfo, most: boolean): number {
  let total = 0;
  let counted = 0;
  for (const [name, amount] of extendedRequests(pod)) {
    const alloc = node.allocatable[name] ?? 0;
    if (alloc <= 0) continue;
    const used = Math.min(alloc, (node.requested[name] ?? 0) + amount);
    total += (most ? used / alloc : (alloc - used) / alloc) * 100;
    counted++;
  }
  return counted === 0 ? 0 : total / counted;
}

const make = (strategy: AcceleratorStrategy): ScorePlugin => ({
  name: strategy === 'MostAllocated' ? 'AcceleratorPacking' : 'AcceleratorSpreading',
  preScore: (pod) => (extendedRequests(pod).length === 0 ? 'skip' : undefined),
  score: (pod, node) => score(pod, node, strategy === 'MostAllocated'),
});

/** Prefer the node whose accelerators are most used after placing the pod. */
export const acceleratorPacking = make('MostAllocated');
/** Prefer the node whose accelerators are least used (Kubernetes' default spreading, for comparison). */
export const acceleratorSpreading = make('LeastAllocated');

/** The score plugin for a strategy. */
export const acceleratorScorer = (strategy: AcceleratorStrategy): ScorePlugin => (strategy === 'LeastAllocated' ? acceleratorSpreading : acceleratorPacking);
