import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import { labelsMatch } from '../../api/label-selector.js';
import { nodeSelectorTermMatches } from '../framework/labels.js';
import { defaultNormalizeScore, type FilterPlugin, type ScorePlugin } from '../framework/plugin.js';
import { success, unresolvable } from '../framework/status.js';

/**
 * Kubernetes' GetRequiredNodeAffinity(pod).Match: spec.nodeSelector (every label equal) AND the
 * required node affinity (some term matches). PodTopologySpread reuses it to pick its domains.
 */
export function matchesRequiredNodeAffinity(pod: Pod, node: Node): boolean {
  if (!labelsMatch(pod.spec.nodeSelector, node.metadata.labels)) return false;
  const required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return required === undefined || required.nodeSelectorTerms.some((t) => nodeSelectorTermMatches(t, node));
}

/**
 * spec.nodeSelector and spec.affinity.nodeAffinity, as Kubernetes' NodeAffinity plugin (which covers
 * both). Filter: required terms ORed, expressions within a term ANDed. Score: the summed weights of the
 * preferred terms the node matches, scaled so the best node gets 100.
 */
export const nodeAffinity = {
  name: 'NodeAffinity',
  filter(pod, node) {
    return matchesRequiredNodeAffinity(pod, node.node) ? success : unresolvable("node(s) didn't match Pod's node affinity/selector");
  },
  preScore(pod) {
    return (pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ?? 0) === 0 ? 'skip' : undefined;
  },
  score(pod, node) {
    let sum = 0;
    for (const t of pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
      if (nodeSelectorTermMatches(t.preference, node.node)) sum += t.weight;
    }
    return sum;
  },
  normalize(scores) { defaultNormalizeScore(scores, false); },
} satisfies FilterPlugin & ScorePlugin;
