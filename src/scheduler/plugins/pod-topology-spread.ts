import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import type { LabelSelector } from '../../api/schema/pod.js';
import { StateKey, type StateData } from '../framework/cycle-state.js';
import { selectorIsEmpty, selectorMatches, singleLabel } from '../framework/labels.js';
import { labelCountKey, podNamespace, type NodeInfo } from '../framework/node-info.js';
import { countingUpdates, noPreFilterState, type FilterPlugin, type PreFilterPlugin, type ScorePlugin } from '../framework/plugin.js';
import { skip, success, unresolvable, unschedulable } from '../framework/status.js';
import { matchesRequiredNodeAffinity } from './node-affinity.js';

interface Constraint {
  maxSkew: number; topologyKey: string; selector: LabelSelector | undefined; minDomains: number;
  /** For a one-label selector: the key of the nodes' label counts that answers it. */
  countKey?: string;
}

const constraintsOf = (pod: Pod, mode: 'DoNotSchedule' | 'ScheduleAnyway'): Constraint[] =>
  (pod.spec.topologySpreadConstraints ?? []).filter((c) => c.whenUnsatisfiable === mode).map((c) => {
    const label = singleLabel(c.labelSelector);
    const out: Constraint = { maxSkew: c.maxSkew, topologyKey: c.topologyKey, selector: c.labelSelector, minDomains: c.minDomains ?? 1 };
    if (label) out.countKey = labelCountKey(podNamespace(pod), label[0], label[1]);
    return out;
  });

const labelsOf = (node: Node): Record<string, string> => node.metadata.labels ?? {};
const hasAllKeys = (node: Node, cs: readonly Constraint[]): boolean => cs.every((c) => Object.prototype.hasOwnProperty.call(labelsOf(node), c.topologyKey));

/**
 * Does `other` count towards the constraint: same namespace as the incoming pod, not terminating, and
 * selected (Kubernetes' countPodsMatchSelector, where an empty selector counts nothing).
 */
const counts = (c: Constraint, pod: Pod, other: Pod): boolean =>
  !selectorIsEmpty(c.selector) && !other.metadata.deletionTimestamp && podNamespace(other) === podNamespace(pod) && selectorMatches(c.selector, other.metadata.labels);

const matching = (c: Constraint, pod: Pod, node: NodeInfo): number => {
  // One label and nobody terminating on the node: the node's label counts answer without a scan.
  if (c.countKey !== undefined && node.terminating === 0) return node.podsWithLabelKey(c.countKey);
  return node.pods.filter((p) => counts(c, pod, p)).length;
};

/** Nodes whose pods make up the domains: all topology keys present and the pod's node affinity/selector passed. */
const eligible = (pod: Pod, node: Node, cs: readonly Constraint[]): boolean => hasAllKeys(node, cs) && matchesRequiredNodeAffinity(pod, node);

/** DoNotSchedule: matching pods per domain (topology value), one map per constraint. */
class FilterState implements StateData {
  private readonly mins: (number | undefined)[] = [];
  constructor(readonly constraints: readonly Constraint[], readonly perDomain: Map<string, number>[]) {}
  clone(): FilterState { return new FilterState(this.constraints, this.perDomain.map((m) => new Map(m))); }

  /** The global minimum over the domains; 0 while there are fewer domains than minDomains. */
  minMatch(i: number): number {
    const domains = this.perDomain[i] ?? new Map<string, number>();
    if (domains.size < (this.constraints[i]?.minDomains ?? 1)) return 0;
    return (this.mins[i] ??= Math.min(...domains.values()));
  }

  update(pod: Pod, other: Pod, node: Node, delta: number): void {
    if (this.constraints.length === 0 || !eligible(pod, node, this.constraints)) return;
    this.constraints.forEach((c, i) => {
      const domains = this.perDomain[i];
      const value = labelsOf(node)[c.topologyKey];
      if (!domains || value === undefined || !counts(c, pod, other)) return;
      domains.set(value, (domains.get(value) ?? 0) + delta);
      this.mins[i] = undefined;
    });
  }
}

/** ScheduleAnyway: matching pods per domain of the feasible nodes, and each constraint's weight. */
class ScoreState implements StateData {
  constructor(readonly constraints: readonly Constraint[], readonly ignored: Set<string>, readonly perDomain: Map<string, number>[], readonly weights: number[]) {}
  clone(): ScoreState { return this; } // never changed after PreScore
}

const filterKey = new StateKey<FilterState>('PodTopologySpread/filter');
const scoreKey = new StateKey<ScoreState>('PodTopologySpread/score');

/**
 * spec.topologySpreadConstraints. Filter (DoNotSchedule): placing the pod must keep
 * (matching pods in the node's domain + 1 if the pod itself matches - the least populated domain)
 * <= maxSkew, where domains are the values of topologyKey on nodes that carry every key of the
 * pod's constraints and pass its node affinity/selector. Score (ScheduleAnyway): fewer matching pods
 * in the node's domains is better, as Kubernetes weighs them.
 */
export const podTopologySpread = {
  name: 'PodTopologySpread',
  preFilter(pod, snapshot, state) {
    const constraints = constraintsOf(pod, 'DoNotSchedule');
    if (constraints.length === 0) return skip;
    const perDomain = constraints.map(() => new Map<string, number>());
    for (const n of constraints.length === 0 ? [] : snapshot.nodes) {
      if (!eligible(pod, n.node, constraints)) continue;
      constraints.forEach((c, i) => {
        const value = labelsOf(n.node)[c.topologyKey]!;
        perDomain[i]!.set(value, (perDomain[i]!.get(value) ?? 0) + matching(c, pod, n));
      });
    }
    state.write(filterKey, new FilterState(constraints, perDomain));
    return success;
  },
  ...countingUpdates(filterKey),
  filter(pod, node, state) {
    const s = state.read(filterKey);
    if (!s) return noPreFilterState('PodTopologySpread');
    const labels = labelsOf(node.node);
    for (const [i, c] of s.constraints.entries()) {
      const value = labels[c.topologyKey];
      if (value === undefined) return unresolvable("node(s) didn't match pod topology spread constraints (missing required label)");
      const self = selectorMatches(c.selector, pod.metadata.labels) ? 1 : 0;
      if ((s.perDomain[i]?.get(value) ?? 0) + self - s.minMatch(i) > c.maxSkew) return unschedulable("node(s) didn't match pod topology spread constraints");
    }
    return success;
  },
  preScore(pod, feasible, state, snapshot) {
    const constraints = constraintsOf(pod, 'ScheduleAnyway');
    const ignored = new Set<string>();
    const perDomain = constraints.map(() => new Map<string, number>());
    if (constraints.length > 0) {
      // Domains come from the feasible nodes; nodes lacking a key are ignored (score 0).
      for (const n of feasible) {
        if (!hasAllKeys(n.node, constraints)) { ignored.add(n.name); continue; }
        constraints.forEach((c, i) => { perDomain[i]!.set(labelsOf(n.node)[c.topologyKey]!, 0); });
      }
      for (const n of snapshot.nodes) {
        if (!eligible(pod, n.node, constraints)) continue;
        constraints.forEach((c, i) => {
          const value = labelsOf(n.node)[c.topologyKey]!;
          const now = perDomain[i]!.get(value);
          if (now !== undefined) perDomain[i]!.set(value, now + matching(c, pod, n));
        });
      }
    }
    // Kubernetes' topologyNormalizingWeight: log(domains + 2), so keys with many domains weigh more.
    state.write(scoreKey, new ScoreState(constraints, ignored, perDomain, perDomain.map((m) => Math.log(m.size + 2))));
    return constraints.length === 0 ? 'skip' : undefined;
  },
  score(_pod, node, state) {
    const s = state.read(scoreKey);
    if (!s || s.ignored.has(node.name)) return 0;
    let score = 0;
    s.constraints.forEach((c, i) => {
      const value = labelsOf(node.node)[c.topologyKey];
      if (value !== undefined) score += (s.perDomain[i]?.get(value) ?? 0) * (s.weights[i] ?? 0) + (c.maxSkew - 1);
    });
    return Math.round(score);
  },
  normalize(scores, state) {
    const s = state.read(scoreKey);
    if (!s || s.constraints.length === 0) return;
    const counted = scores.filter((x) => !s.ignored.has(x.node));
    const min = Math.min(...counted.map((x) => x.score));
    const max = Math.max(0, ...counted.map((x) => x.score));
    // The fewest matching pods gets 100; ignored nodes 0.
    for (const x of scores) x.score = s.ignored.has(x.node) ? 0 : max === 0 ? 100 : Math.floor((100 * (max + min - x.score)) / max);
  },
} satisfies PreFilterPlugin & FilterPlugin & ScorePlugin;
