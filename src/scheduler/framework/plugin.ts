import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import type { CycleState, StateData, StateKey } from './cycle-state.js';
import type { CacheExtension, ExtensionKey } from './extension.js';
import type { NodeInfo } from './node-info.js';
import type { Snapshot } from './snapshot.js';
import type { PermitPlugin } from './permit.js';
import { errorStatus, type Status } from './status.js';

/** What every plugin may carry: the data it wants the cache to keep for it (read through snapshot.extensions). */
export interface PluginBase {
  readonly name: string;
  readonly extension?: ExtensionKey<CacheExtension>;
}

/**
 * Runs once per cycle before the filters, over the whole snapshot, and writes what its filter needs
 * into the cycle state. A failure rejects every node at once (the message names only its reasons).
 */
export interface PreFilterPlugin extends PluginBase {
  preFilter(pod: Pod, snapshot: Snapshot, state: CycleState): Status;
  /** Preemption tries the node with `other` added back: keep the precomputed state right. */
  addPod?(state: CycleState, pod: Pod, other: Pod, node: NodeInfo): void;
  /** Preemption tries the node without `other` (a victim): keep the precomputed state right. */
  removePod?(state: CycleState, pod: Pod, other: Pod, node: NodeInfo): void;
}

/** PreFilter state that counts the node's pods: preemption adds (delta 1) and removes (-1) them. */
export interface PodCountingState extends StateData {
  update(pod: Pod, other: Pod, node: Node, delta: number): void;
}

/** addPod/removePod of a PreFilter whose cycle state counts pods under key. */
export function countingUpdates<T extends PodCountingState>(key: StateKey<T>): Required<Pick<PreFilterPlugin, 'addPod' | 'removePod'>> {
  return {
    addPod(state, pod, other, node) { state.read(key)?.update(pod, other, node.node, 1); },
    removePod(state, pod, other, node) { state.read(key)?.update(pod, other, node.node, -1); },
  };
}

/** What a stateful Filter returns when its PreFilter's state is missing: the profile does not list it under preFilters. */
export const noPreFilterState = (plugin: string): Status => errorStatus(`${plugin}: its PreFilter did not run; list the plugin under preFilters in the profile`);

/** Decides whether a pod can run on a node. Cheap filters are listed first in the profile. */
export interface FilterPlugin extends PluginBase {
  filter(pod: Pod, node: NodeInfo, state: CycleState): Status;
}

/** One node's score while a score plugin normalises them. */
export interface NodeScore {
  node: string;
  score: number;
}

/**
 * Ranks feasible nodes: score() gives a raw score, normalize() (when present) maps the raw scores of
 * all feasible nodes onto 0..100; without normalize() score() must already be 0..100. The cycle then
 * multiplies by the profile's weight.
 */
export interface ScorePlugin extends PluginBase {
  /**
   * Once per cycle, after the filters: precompute over the feasible nodes (and the whole snapshot).
   * 'skip' when the plugin has nothing to say about this pod (every node would score the same):
   * the cycle then does not call score() at all, as kube-scheduler's Skip status.
   */
  preScore?(pod: Pod, feasible: readonly NodeInfo[], state: CycleState, snapshot: Snapshot): void | 'skip';
  score(pod: Pod, node: NodeInfo, state: CycleState): number;
  /** Rewrite the raw scores in place onto 0 (worst) .. 100 (best). */
  normalize?(scores: NodeScore[], state: CycleState): void;
}

/** The plugins of one scheduler profile, in run order, with score weights. */
export interface Profile {
  preFilters?: PreFilterPlugin[];
  filters: FilterPlugin[];
  scores: { plugin: ScorePlugin; weight: number }[];
  /** Run after a node is reserved (and, for PostFilter, when none was found), in order. */
  permits?: PermitPlugin[];
}

/** The cache extensions the profile's plugins register, each once. */
export function extensionsOf(profile: Profile): ExtensionKey<CacheExtension>[] {
  const plugins: PluginBase[] = [...(profile.preFilters ?? []), ...profile.filters, ...profile.scores.map((s) => s.plugin), ...(profile.permits ?? [])];
  const keys = new Map<string, ExtensionKey<CacheExtension>>();
  for (const p of plugins) if (p.extension) keys.set(p.extension.name, p.extension);
  return [...keys.values()];
}

/** The highest score a node can get from one plugin (kube-scheduler's MaxNodeScore). */
export const maxNodeScore = 100;

/**
 * Kubernetes' DefaultNormalizeScore: scale so the best raw score becomes 100 (integer division, as
 * there); `reverse` for plugins whose raw score counts something bad.
 */
export function defaultNormalizeScore(scores: NodeScore[], reverse: boolean): void {
  const max = Math.max(0, ...scores.map((s) => s.score));
  if (max === 0) {
    if (reverse) for (const s of scores) s.score = maxNodeScore;
    return;
  }
  for (const s of scores) {
    const scaled = Math.floor((maxNodeScore * s.score) / max);
    s.score = reverse ? maxNodeScore - scaled : scaled;
  }
}
