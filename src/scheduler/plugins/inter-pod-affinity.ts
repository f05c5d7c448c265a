import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import { StateKey, type StateData } from '../framework/cycle-state.js';
import { countingUpdates, noPreFilterState, type FilterPlugin, type PreFilterPlugin, type ScorePlugin } from '../framework/plugin.js';
import type { Snapshot } from '../framework/snapshot.js';
import { skip, success, unresolvable, unschedulable } from '../framework/status.js';
import type { NodeInfo } from '../framework/node-info.js';
import { PairCounts, pairKey, preferredTerms, requiredTerms, termMatches, topologyValue, type AffinityTerm } from './inter-pod-affinity-terms.js';
import { affinityIndexKey, hardPodAffinityWeight } from './inter-pod-affinity-index.js';

/** The nodes that may have pods with the label of countKey: the cache's index, else every node. */
const nodesWith = (snapshot: Snapshot, countKey: string): Iterable<NodeInfo> => snapshot.nodesWithLabel?.(countKey) ?? snapshot.nodes;

/** Calls visit per node with how many of its pods a one-label term selects (over its namespaces), when any. */
function countSelected(snapshot: Snapshot, t: AffinityTerm, visit: (node: Node, pods: number) => void): void {
  for (const key of t.countKeys ?? []) {
    for (const n of nodesWith(snapshot, key)) {
      const c = n.podsWithLabelKey(key);
      if (c > 0) visit(n.node, c);
    }
  }
}

/** Per topology pair: pods matching all our affinity terms, pods matching our anti-affinity terms, and existing pods whose anti-affinity matches us. */
class FilterState implements StateData {
  constructor(
    readonly affinityTerms: AffinityTerm[], readonly antiTerms: AffinityTerm[], readonly selfMatches: boolean,
    readonly affinity = new PairCounts(), readonly anti = new PairCounts(), readonly existingAnti = new PairCounts(),
  ) {
    this.countable = affinityTerms.length <= 1 && [...affinityTerms, ...antiTerms].every((t) => t.countKeys !== undefined);
  }

  /** Every own term is a one-label selector (and affinity has at most one term): label counts answer them. */
  readonly countable: boolean;
  clone(): FilterState { return new FilterState(this.affinityTerms, this.antiTerms, this.selfMatches, this.affinity.clone(), this.anti.clone(), this.existingAnti.clone()); }

  /** Account for `other` on `node` (delta +1 when added, -1 when removed). */
  update(pod: Pod, other: Pod, node: Node, delta: number): void {
    this.updateExisting(pod, other, node, delta);
    this.updateOwn(other, node, delta);
  }

  /** `other`'s required anti-affinity against the incoming pod. */
  updateExisting(pod: Pod, other: Pod, node: Node, delta: number): void {
    for (const t of requiredTerms(other, 'podAntiAffinity')) if (termMatches(t, pod)) this.existingAnti.add(node, t.topologyKey, delta);
  }

  /** The incoming pod's own terms against `other`. */
  updateOwn(other: Pod, node: Node, delta: number): void {
    // An existing pod counts for affinity only when it matches every term, as in Kubernetes.
    if (this.affinityTerms.length > 0 && this.affinityTerms.every((t) => termMatches(t, other))) for (const t of this.affinityTerms) this.affinity.add(node, t.topologyKey, delta);
    for (const t of this.antiTerms) if (termMatches(t, other)) this.anti.add(node, t.topologyKey, delta);
  }

  /**
   * The own terms over the cluster from the nodes' label counts, when every term is a one-label
   * selector (and affinity has one term, since several must match the same pod): false when the
   * pods must be scanned instead.
   */
  countOwn(snapshot: Snapshot): boolean {
    if (!this.countable) return false;
    for (const t of this.affinityTerms) countSelected(snapshot, t, (node, n) => this.affinity.add(node, t.topologyKey, n));
    for (const t of this.antiTerms) countSelected(snapshot, t, (node, n) => this.anti.add(node, t.topologyKey, n));
    return true;
  }
}

/** Preferred-term score per topology pair, summed over all the existing pods. */
class ScoreState implements StateData {
  constructor(readonly topology: PairCounts, readonly keys: Set<string>) {}
  clone(): ScoreState { return this; } // never changed after PreScore
}

const filterKey = new StateKey<FilterState>('InterPodAffinity/filter');
const scoreKey = new StateKey<ScoreState>('InterPodAffinity/score');

function satisfiesAffinity(s: FilterState, node: Node): boolean {
  let podsExist = true;
  for (const t of s.affinityTerms) {
    const value = topologyValue(node, t.topologyKey);
    if (value === undefined) return false; // every topology label must be on the node
    if (s.affinity.get(t.topologyKey, value) <= 0) podsExist = false;
  }
  // The first pod of a group whose labels match its own terms may go anywhere (else none could start).
  return podsExist || (s.affinity.size === 0 && s.selfMatches);
}

const satisfiesAntiAffinity = (s: FilterState, node: Node): boolean => s.antiTerms.every((t) => {
  const value = topologyValue(node, t.topologyKey);
  return value === undefined || s.anti.get(t.topologyKey, value) <= 0;
});

const satisfiesExistingAntiAffinity = (s: FilterState, node: Node): boolean =>
  s.existingAnti.size === 0 || Object.entries(node.metadata.labels ?? {}).every(([k, v]) => (s.existingAnti.counts.get(pairKey(k, v)) ?? 0) <= 0);

/**
 * Required and preferred pod affinity and anti-affinity (spec.affinity.podAffinity/podAntiAffinity),
 * including existing pods' required anti-affinity against the incoming pod. Counting happens once in
 * PreFilter/PreScore per topology pair; Filter and Score only look the node's pairs up.
 */
export const interPodAffinity = {
  name: 'InterPodAffinity',
  extension: affinityIndexKey,
  preFilter(pod, snapshot, state) {
    const affinityTerms = requiredTerms(pod, 'podAffinity');
    const s = new FilterState(affinityTerms, requiredTerms(pod, 'podAntiAffinity'), affinityTerms.every((t) => termMatches(t, pod)));
    // Without terms of its own only existing pods' required anti-affinity can matter.
    const own = affinityTerms.length > 0 || s.antiTerms.length > 0;
    // Existing pods' required anti-affinity that selects us: the cache's index, else a walk.
    const index = snapshot.extensions?.get(affinityIndexKey);
    if (index) index.requiredAntiAffinityMatching(pod, (key, value, n) => s.existingAnti.addPair(key, value, n));
    else for (const n of snapshot.nodes) for (const other of n.podsWithRequiredAntiAffinity) s.updateExisting(pod, other, n.node, 1);
    if (own && !s.countOwn(snapshot)) for (const n of snapshot.nodes) for (const other of n.pods) s.updateOwn(other, n.node, 1);
    // Nothing to check on any node: no terms of its own and no existing pod's anti-affinity hits it.
    if (!own && s.existingAnti.size === 0) return skip;
    state.write(filterKey, s);
    return success;
  },
  ...countingUpdates(filterKey),
  filter(_pod, node, state) {
    const s = state.read(filterKey);
    if (!s) return noPreFilterState('InterPodAffinity');
    if (!satisfiesAffinity(s, node.node)) return unresolvable("node(s) didn't match pod affinity rules");
    if (!satisfiesAntiAffinity(s, node.node)) return unschedulable("node(s) didn't match pod anti-affinity rules");
    if (!satisfiesExistingAntiAffinity(s, node.node)) return unschedulable("node(s) didn't satisfy existing pods anti-affinity rules");
    return success;
  },
  preScore(pod, _feasible, state, snapshot) {
    const topology = new PairCounts();
    const keys = new Set<string>();
    const add = (node: Node, key: string, amount: number): void => {
      if (topologyValue(node, key) === undefined) return;
      topology.add(node, key, amount);
      keys.add(key);
    };
    const apply = (terms: AffinityTerm[], target: Pod, node: Node, sign: number, weight?: number): void => {
      for (const t of terms) if (termMatches(t, target)) add(node, t.topologyKey, sign * (weight ?? t.weight));
    };
    // Existing pods' terms that select us (their required affinity, preferred affinity and
    // anti-affinity): the cache's index, else a walk over the pods that have terms.
    const index = snapshot.extensions?.get(affinityIndexKey);
    if (index) index.scoredTermsMatching(pod, (key, value, weight) => { topology.addPair(key, value, weight); keys.add(key); });
    else {
      for (const n of snapshot.nodes) {
        for (const other of n.podsWithAffinity) {
          apply(requiredTerms(other, 'podAffinity'), pod, n.node, 1, hardPodAffinityWeight);
          apply(preferredTerms(other, 'podAffinity'), pod, n.node, 1);
          apply(preferredTerms(other, 'podAntiAffinity'), pod, n.node, -1);
        }
      }
    }
    // Our preferred terms pull towards the pods they select and anti-affinity pushes away; one-label
    // terms are answered from the nodes' label counts instead of a scan of the pods.
    for (const [terms, sign] of [[preferredTerms(pod, 'podAffinity'), 1], [preferredTerms(pod, 'podAntiAffinity'), -1]] as const) {
      for (const t of terms) {
        if (t.countKeys !== undefined) countSelected(snapshot, t, (node, n) => add(node, t.topologyKey, sign * t.weight * n));
        else for (const n of snapshot.nodes) for (const other of n.pods) apply([t], other, n.node, sign);
      }
    }
    state.write(scoreKey, new ScoreState(topology, keys));
    return topology.size === 0 ? 'skip' : undefined;
  },
  score(_pod, node, state) {
    const s = state.read(scoreKey);
    let score = 0;
    for (const key of s?.keys ?? []) {
      const value = topologyValue(node.node, key);
      if (value !== undefined) score += s!.topology.get(key, value);
    }
    return score;
  },
  normalize(scores, state) {
    if ((state.read(scoreKey)?.topology.size ?? 0) === 0) return;
    const min = Math.min(...scores.map((x) => x.score));
    const max = Math.max(...scores.map((x) => x.score));
    // Raw scores can be negative (anti-affinity): map min..max onto 0..100.
    for (const x of scores) x.score = max > min ? Math.floor((100 * (x.score - min)) / (max - min)) : 0;
  },
} satisfies PreFilterPlugin & FilterPlugin & ScorePlugin;
