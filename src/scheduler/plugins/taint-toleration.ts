import type { Taint } from '../../api/node.js';
import type { Toleration } from '../../api/schema/pod.js';
import { toleratesTaint } from '../../api/tolerations.js';
import { defaultNormalizeScore, type FilterPlugin, type ScorePlugin } from '../framework/plugin.js';
import { success, unresolvable } from '../framework/status.js';

/** Kubernetes' Toleration.ToleratesTaint, shared with the node lifecycle controller (api/tolerations.ts). */
export { toleratesTaint };

/** Some toleration of the list tolerates the taint. */
export const tolerated = (tolerations: readonly Toleration[] | undefined, taint: Taint): boolean =>
  (tolerations ?? []).some((t) => toleratesTaint(t, taint));

/**
 * Filter: every NoSchedule and NoExecute taint of the node must be tolerated; the first one that is
 * not is named. Score: fewer untolerated PreferNoSchedule taints is better.
 */
export const taintToleration = {
  name: 'TaintToleration',
  filter(pod, node) {
    for (const taint of node.node.spec?.taints ?? []) {
      if (taint.effect === 'PreferNoSchedule' || tolerated(pod.spec.tolerations, taint)) continue;
      return unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
    }
    return success;
  },
  score(pod, node) {
    // Only tolerations that can apply to PreferNoSchedule count, as in Kubernetes' PreScore.
    const taints = node.node.spec?.taints;
    if (!taints?.length) return 0;
    const tolerations = (pod.spec.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    return taints.filter((t) => t.effect === 'PreferNoSchedule' && !tolerated(tolerations, t)).length;
  },
  normalize(scores) { defaultNormalizeScore(scores, true); },
} satisfies FilterPlugin & ScorePlugin;
