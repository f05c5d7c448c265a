import type { Pod } from '../../api/pod.js';
import type { Profile } from './plugin.js';
import type { Snapshot } from './snapshot.js';
import { isSuccess } from './status.js';

/** The decision of one scheduling cycle: a node, or why no node fits. */
export type Decision =
  | { node: string; score: number }
  | { node?: undefined; message: string; reasons: Record<string, number> };

/**
 * Schedule one pod over a snapshot: run filters on every node (cheap first, stop at the first
 * failure), score the feasible ones, pick the best. Pure: no I/O, no mutation of the snapshot.
 */
export function schedulePod(pod: Pod, snapshot: Snapshot, profile: Profile): Decision {
  const reasons: Record<string, number> = {};
  let best: { node: string; score: number } | undefined;
  for (const node of snapshot.nodes) {
    let fits = true;
    for (const f of profile.filters) {
      const status = f.filter(pod, node);
      if (!isSuccess(status)) {
        fits = false;
        for (const r of status.reasons) reasons[r] = (reasons[r] ?? 0) + 1;
        break;
      }
    }
    if (!fits) continue;
    let score = 0;
    for (const { plugin, weight } of profile.scores) score += plugin.score(pod, node) * weight;
    // Ties go to the node with the lower name so decisions are reproducible.
    if (best === undefined || score > best.score) best = { node: node.name, score };
  }
  if (best) return best;
  return { message: unavailableMessage(snapshot.nodes.length, reasons), reasons };
}

/** Kubernetes' wording: "0/3 nodes are available: 1 Insufficient memory, 2 node(s) were unschedulable." */
export function unavailableMessage(total: number, reasons: Record<string, number>): string {
  // As Kubernetes' FitError: "<count> <reason>" entries sorted in byte order.
  const parts = Object.entries(reasons).map(([r, n]) => `${n} ${r}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return parts.length === 0 ? `0/${total} nodes are available.` : `0/${total} nodes are available: ${parts.join(', ')}.`;
}
