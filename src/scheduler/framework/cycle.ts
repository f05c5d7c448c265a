import type { Pod } from '../../api/pod.js';
import { CycleState } from './cycle-state.js';
import { podPriority, samePod, type NodeInfo } from './node-info.js';
import { maxNodeScore, type NodeScore, type Profile } from './plugin.js';
import type { Snapshot } from './snapshot.js';
import { isSuccess, success, type Status } from './status.js';
import { notNamed, requiredNodeNames } from './node-names.js';

/** The decision of one scheduling cycle: a node, or why no node fits. */
export type Decision =
  | { node: string; score: number }
  | { node?: undefined; message: string; reasons: Record<string, number> };

/** Run every PreFilter in order; the first failure stops the cycle (tagged with its plugin). */
export function runPreFilters(pod: Pod, snapshot: Snapshot, profile: Profile, state: CycleState): Status {
  for (const p of profile.preFilters ?? []) {
    const status = p.preFilter(pod, snapshot, state);
    if (status.code === 'Skip') { state.skippedFilters.add(p.name); continue; }
    if (!isSuccess(status)) return { ...status, plugin: p.name };
  }
  return success;
}

/** Run the filters on one node in order, stopping at the first failure (tagged with its plugin). */
export function runFilters(pod: Pod, node: NodeInfo, profile: Profile, state: CycleState): Status {
  const skipped = state.skippedFilters;
  for (const f of profile.filters) {
    if (skipped.size > 0 && skipped.has(f.name)) continue;
    const status = f.filter(pod, node, state);
    if (!isSuccess(status)) return { ...status, plugin: f.name };
  }
  return success;
}

/**
 * Kubernetes' RunFilterPluginsWithNominatedPods: pods that preemption nominated to this node with a
 * priority at least the pod's are counted as if already there, so a lower-priority pod does not take
 * the room freed for them; the node must fit the pod with them and without them.
 */
export function runFiltersWithNominated(pod: Pod, node: NodeInfo, snapshot: Snapshot, profile: Profile, state: CycleState): Status {
  const nominated = snapshot.nominatedPods?.get(node.name);
  if (nominated && nominated.length > 0) {
    const priority = podPriority(pod);
    const ahead = nominated.filter((p) => podPriority(p) >= priority && !samePod(p, pod));
    if (ahead.length > 0) {
      const withThem = node.clone();
      const s = state.clone();
      for (const p of ahead) {
        withThem.addPod(p);
        for (const f of profile.preFilters ?? []) if (!s.skippedFilters.has(f.name)) f.addPod?.(s, pod, p, withThem);
      }
      const status = runFilters(pod, withThem, profile, s);
      if (!isSuccess(status)) return status;
    }
  }
  return runFilters(pod, node, profile, state);
}

/** What the filters made of the nodes they looked at: the feasible ones, and each other node's status. */
export interface FilterResult {
  /** Set when a PreFilter rejected the pod: then no node was filtered. */
  preFilter?: Status;
  feasible: NodeInfo[];
  statuses: Map<string, Status>;
  /** How many nodes were filtered (fewer than all once enough were feasible). */
  processed: number;
}

/**
 * Node sampling, as kube-scheduler's percentageOfNodesToScore: stop filtering once `limit` nodes are
 * feasible, starting at `start` so successive pods look at different nodes. When fewer fit, every
 * node is filtered, so an unschedulable pod's reasons always cover the whole cluster.
 */
export interface Sampling { limit: number; start: number }

const minFeasibleNodesToFind = 100;
const minFeasibleNodesPercentageToFind = 5;

/** kube-scheduler's adaptive default: all of a small cluster; 50% minus 1% per 125 nodes, at least 5% and 100 nodes. */
export function numFeasibleNodesToFind(allNodes: number): number {
  if (allNodes < minFeasibleNodesToFind) return allNodes;
  const percentage = Math.max(minFeasibleNodesPercentageToFind, 50 - Math.floor(allNodes / 125));
  return Math.max(minFeasibleNodesToFind, Math.floor((allNodes * percentage) / 100));
}

/** PreFilter once, then Filter the nodes of the snapshot in order (from `sampling.start`, wrapping) until enough are feasible. */
export function filterNodes(pod: Pod, snapshot: Snapshot, profile: Profile, state: CycleState, sampling?: Sampling): FilterResult {
  const statuses = new Map<string, Status>();
  const pre = runPreFilters(pod, snapshot, profile, state);
  const all = snapshot.nodes.length;
  if (!isSuccess(pre)) {
    for (const n of snapshot.nodes) statuses.set(n.name, pre);
    return { preFilter: pre, feasible: [], statuses, processed: all };
  }
  const feasible: NodeInfo[] = [];
  const named = profile.filters.some((f) => f.name === 'NodeAffinity') ? requiredNodeNames(pod) : undefined;
  if (named !== undefined) {
    // Only the nodes the pod names can fit (a DaemonSet pod names one): filter those, not the cluster.
    for (const node of snapshot.nodes) {
      const status = named.has(node.name) ? runFiltersWithNominated(pod, node, snapshot, profile, state) : notNamed;
      if (isSuccess(status)) feasible.push(node);
      else statuses.set(node.name, status);
    }
    return { feasible, statuses, processed: all };
  }
  const limit = sampling?.limit ?? all;
  const start = all === 0 ? 0 : (sampling?.start ?? 0) % all;
  let processed = 0;
  while (processed < all && feasible.length < limit) {
    const node = snapshot.nodes[(start + processed) % all]!;
    processed++;
    const status = runFiltersWithNominated(pod, node, snapshot, profile, state);
    if (isSuccess(status)) feasible.push(node);
    else statuses.set(node.name, status);
  }
  return { feasible, statuses, processed };
}

/**
 * Weighted total score per feasible node (same order): each plugin's PreScore, raw scores, its
 * normalisation onto 0..100 (clamped, so one plugin cannot outweigh its weight), times its weight.
 */
export function scoreNodes(pod: Pod, feasible: readonly NodeInfo[], snapshot: Snapshot, profile: Profile, state: CycleState): number[] {
  const totals = feasible.map(() => 0);
  for (const { plugin, weight } of profile.scores) {
    if (plugin.preScore?.(pod, feasible, state, snapshot) === 'skip') continue;
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
  return decide(pod, snapshot, profile, state).decision;
}

/**
 * schedulePod over a sample of the nodes (see Sampling); `processed` says how far the sample got,
 * where the next pod's sample starts.
 */
export function decide(pod: Pod, snapshot: Snapshot, profile: Profile, state: CycleState = new CycleState(), sampling?: Sampling): { decision: Decision; processed: number } {
  const result = filterNodes(pod, snapshot, profile, state, sampling);
  const processed = result.processed;
  if (result.feasible.length === 0) return { decision: failure(snapshot.nodes.length, result), processed };
  const totals = scoreNodes(pod, result.feasible, snapshot, profile, state);
  let best: { node: string; score: number } | undefined;
  result.feasible.forEach((node, i) => {
    const score = totals[i] ?? 0;
    // Ties go to the node looked at first (without sampling: the lower name) so decisions are reproducible.
    if (best === undefined || score > best.score) best = { node: node.name, score };
  });
  return { decision: best ?? failure(snapshot.nodes.length, result), processed };
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
