import type { FilterPlugin, PreFilterPlugin, Profile, ScorePlugin } from './framework/plugin.js';
import type { PermitPlugin } from './framework/permit.js';
import { acceleratorPacking, acceleratorScorer, acceleratorSpreading, type AcceleratorStrategy } from './plugins/accelerator-packing.js';
import { coscheduling } from './plugins/coscheduling.js';
import { gpuTopology } from './plugins/gpu-topology.js';
import { imageLocality } from './plugins/image-locality.js';
import { interPodAffinity } from './plugins/inter-pod-affinity.js';
import { nodeAffinity } from './plugins/node-affinity.js';
import { nodeName } from './plugins/node-name.js';
import { leastAllocated, mostAllocated, nodeResourcesFit, resourcesScorer, type ScoringStrategy } from './plugins/node-resources-fit.js';
import { nodeSelector } from './plugins/node-selector.js';
import { nodeUnschedulable } from './plugins/node-unschedulable.js';
import { podTopologySpread } from './plugins/pod-topology-spread.js';
import { taintToleration } from './plugins/taint-toleration.js';
import { volumeBinding } from './plugins/volume-binding.js';
import { runtimeHandler } from './plugins/runtime-handler.js';

export type { ScoringStrategy } from './plugins/node-resources-fit.js';

/** Every plugin by name, for profiles built from configuration. */
export const registry: Readonly<Record<string, Partial<PreFilterPlugin & FilterPlugin & ScorePlugin & PermitPlugin> & { name: string }>> = Object.fromEntries(
  [nodeUnschedulable, nodeName, nodeSelector, taintToleration, nodeAffinity, nodeResourcesFit, leastAllocated, mostAllocated,
    podTopologySpread, interPodAffinity, imageLocality, coscheduling, volumeBinding, acceleratorPacking, acceleratorSpreading, gpuTopology, runtimeHandler].map((p) => [p.name, p]),
);

/** Options of buildProfile. */
export interface ProfileOptions {
  /** NodeResourcesFit scoring: LeastAllocated spreads (the default), MostAllocated bin-packs. */
  scoringStrategy?: ScoringStrategy;
  /** Extended resources (GPUs): MostAllocated packs them (the default), LeastAllocated spreads them. */
  acceleratorStrategy?: AcceleratorStrategy;
}

/**
 * A profile with Kubernetes' default plugins: cheap label, name and taint checks first, resources,
 * then the filters that read counts precomputed over the whole snapshot. Score weights are
 * kube-scheduler's defaults (TaintToleration 3; NodeAffinity, PodTopologySpread, InterPodAffinity 2;
 * resources and ImageLocality 1). NodeAffinity covers spec.nodeSelector too. Coscheduling places
 * gangs all or nothing (its PreFilter first: a gang short of members is rejected before any filter).
 */
export function buildProfile(options: ProfileOptions = {}): Profile {
  return {
    preFilters: [coscheduling, podTopologySpread, interPodAffinity, volumeBinding, runtimeHandler],
    filters: [nodeUnschedulable, nodeName, taintToleration, nodeAffinity, runtimeHandler, nodeResourcesFit, volumeBinding, podTopologySpread, interPodAffinity],
    scores: [
      { plugin: taintToleration, weight: 3 },
      { plugin: nodeAffinity, weight: 2 },
      { plugin: podTopologySpread, weight: 2 },
      { plugin: interPodAffinity, weight: 2 },
      { plugin: resourcesScorer(options.scoringStrategy ?? 'LeastAllocated'), weight: 1 },
      { plugin: imageLocality, weight: 1 },
      // Accelerators pack (big jobs find whole free nodes) and keep one pod's devices on one link.
      { plugin: acceleratorScorer(options.acceleratorStrategy ?? 'MostAllocated'), weight: 2 },
      { plugin: gpuTopology, weight: 1 },
    ],
    permits: [coscheduling],
  };
}

/** The default profile: buildProfile() with LeastAllocated. */
export const defaultProfile: Profile = buildProfile();
