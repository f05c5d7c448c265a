import type { Pod } from '../../api/pod.js';
import type { CycleState } from './cycle-state.js';
import type { NodeInfo } from './node-info.js';
import type { Snapshot } from './snapshot.js';
import type { Status } from './status.js';

/**
 * Runs once per cycle before the filters, over the whole snapshot, and writes what its filter needs
 * into the cycle state. A failure rejects every node at once (the message names only its reasons).
 */
export interface PreFilterPlugin {
  readonly name: string;
  preFilter(pod: Pod, snapshot: Snapshot, state: CycleState): Status;
  /** Preemption tries the node with `other` added back: keep the precomputed state right. */
  addPod?(state: CycleState, pod: Pod, other: Pod, node: NodeInfo): void;
  /** Preemption tries the node without `other` (a victim): keep the precomputed state right. */
  removePod?(state: CycleState, pod: Pod, other: Pod, node: NodeInfo): void;
}

/** Decides whether a pod can run on a node. Cheap filters are listed first in the profile. */
export interface FilterPlugin {
  readonly name: string;
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
export interface ScorePlugin {
  readonly name: string;
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
