import type { Pod } from '../../api/pod.js';
import type { NodeInfo } from './node-info.js';
import type { Status } from './status.js';

/** Decides whether a pod can run on a node. Cheap filters are listed first in the profile. */
export interface FilterPlugin {
  readonly name: string;
  filter(pod: Pod, node: NodeInfo): Status;
}

/** Ranks feasible nodes from 0 (worst) to 100 (best). */
export interface ScorePlugin {
  readonly name: string;
  score(pod: Pod, node: NodeInfo): number;
}

/** The plugins of one scheduler profile, in run order, with score weights. */
export interface Profile {
  filters: FilterPlugin[];
  scores: { plugin: ScorePlugin; weight: number }[];
}
