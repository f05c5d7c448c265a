import type { Pod } from '../../api/pod.js';
import { CycleState } from './cycle-state.js';
import type { NodeInfo } from './node-info.js';
import { maxNodeScore, type NodeScore, type Profile } from './plugin.js';
import type { Snapshot } from './snapshot.js';
import { isSuccess, success, type Status } from './status.js';

/** The decision of one scheduling cycle: a node, or why no node fits. */
export type Decision =
  | { node: string; score: number }
  | { node?: undefined; message: string; reasons: Record<string, number> };

/** Run every PreFilter in order; the first failure stops the cycle (tagged with its plugin). */
export function runPreFilters(pod: Pod, snapshot: Snapshot, profile: Profile, state: CycleState): Status {
  for (const p of profile.preFilters ?? []) {
    const status = p.preFilter(pod, snapshot, state);
    if (!isSuccess(status)) return { ...status, plugin: p.name };
  }
  return success;
}

/** Run the filters on one node in order, stopping at the first failure (tagged with its plugin). */
export function runFilters(pod: Pod, node: NodeInfo, profile: Profile, state: CycleState): Status {
  for (const f of profile.filters) {
    const status = f.filter(pod, node, state);
    if (!isSuccess(status)) return { ...status, plugin: f.name };
  }
  return success;
}

/** What the filters made of every node: the feasible ones, and each other node's status. */
export interface FilterResult {
  /** Set when a PreFilter rejected the pod: then no node was filtered. */
  preFilter?: Status;
  feasible: NodeInfo[];
  statuses: Map<string, Status>;
}

/** PreFilter once, then Filter on every node of the snapshot (in snapshot order). */
export function filterNodes(pod: Pod, snapshot: Snapshot, profile: Profile, state: CycleState): FilterResult {
  const statuses = new Map<string, Status>();
  const pre = runPreFilters(pod, snapshot, profile, state);
  if (!isSuccess(pre)) {
    for (const n of snapshot.nodes) statuses.set(n.name, pre);
    return { preFilter: pre, feasible: [], statuses };
  }
  const feasible: NodeInfo[] = [];
  for (const node of snapshot.nodes) {
    const status = runFilters(pod, node, profile, state);
    if (isSuccess(status)) feasible.push(node);
    else statuses.set(node.name, status);
  }
  return { feasible, statuses };
}

/**
 * Weighted total score per feasible node (same order): each plugin's PreScore, raw scores, its
 * normalisation onto 0..100 (clamped, so one plugin cannot outweigh its weight), times its weight.
 */
export function scoreNodes(pod: Pod, feasible: readonly NodeInfo[], snapshot: Snapshot, profile: Profile, state: CycleState): number[] {
  const totals = feasible.map(() => 0);
  for (const { plugin, weight } of profile.scores) {
    plugin.preScore?.(pod, feasible, state, snapshot);
    const scores: NodeScore[] = feasible.map((n) => ({ node: n.name, score: plugin.score(pod, n, state) }));
    plugin.normalize?.(scores, state);
    scores.forEach((s, i) => { totals[i] = (totals[i] ?? 0) + Math.min(maxNodeScore, Math.max(0, s.score)) * weight; });
  }
  return totals;
}

/**
 * Schedule one pod over a snapshot: PreFilter once, Filter every node (cheap first, stop at the
 * first failure), score the feasible ones, pick the best. Pure: no I/O, no mutation of the snapshot.
 */
export function schedulePod(pod: Pod, snapshot: Snapshot, profile: Profile, state: CycleState = new CycleState()): Decision {
  const result = filterNodes(pod, snapshot, profile, state);
  if (result.feasible.length === 0) return failure(snapshot.nodes.length, result);
  const totals = scoreNodes(pod, result.feasible, snapshot, profile, state);
  let best: { node: string; score: number } | undefined;
  result.feasible.forEach((node, i) => {
    const score = totals[i] ?? 0;
    // Ties go to the node that comes first (the lower name) so decisions are reproducible.
    if (best === undefined || score > best.score) best = { node: node.name, score };
  });
  return best ?? failure(snapshot.nodes.length, result);
}

function failure(total: number, result: FilterResult): Decision {
  const reasons: Record<string, number> = {};
  for (const status of result.statuses.values()) for (const r of status.reasons) reasons[r] = (reasons[r] ?? 0) + 1;
  const preMessage = result.preFilter ? result.preFilter.reasons.join(', ') : undefined;
  return { message: unavailableMessage(total, preMessage === undefined ? reasons : {}, preMessage), reasons };
}

/**
 * Kubernetes' FitError wording: "0/3 nodes are available: 1 Insufficient memory, 2 node(s) were
 * unschedulable." When a PreFilter rejected the pod its message stands alone instead of the counts.
 */
export function unavailableMessage(total: number, reasons: Record<string, number>, preFilterMessage?: string): string {
  if (preFilterMessage !== undefined && preFilterMessage !== '') return `0/${total} nodes are available: ${preFilterMessage}.`;
  // As Kubernetes' FitError: "<count> <reason>" entries sorted in byte order.
  const parts = Object.entries(reasons).map(([r, n]) => `${n} ${r}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return parts.length === 0 ? `0/${total} nodes are available.` : `0/${total} nodes are available: ${parts.join(', ')}.`;
}
