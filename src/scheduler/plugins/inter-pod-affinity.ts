import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import { StateKey, type StateData } from '../framework/cycle-state.js';
import type { FilterPlugin, PreFilterPlugin, ScorePlugin } from '../framework/plugin.js';
import { errorStatus, success, unresolvable, unschedulable } from '../framework/status.js';
import { hasPodAffinity } from '../framework/node-info.js';
import { PairCounts, pairKey, preferredTerms, requiredTerms, termMatches, topologyValue, type AffinityTerm } from './inter-pod-affinity-terms.js';

/** Existing pods' required affinity terms that the incoming pod matches pull it in with this weight (Kubernetes' hardPodAffinityWeight default). */
export const hardPodAffinityWeight = 1;

/** Per topology pair: pods matching all our affinity terms, pods matching our anti-affinity terms, and existing pods whose anti-affinity matches us. */
class FilterState implements StateData {
  constructor(
    readonly affinityTerms: AffinityTerm[], readonly antiTerms: AffinityTerm[], readonly selfMatches: boolean,
    readonly affinity = new PairCounts(), readonly anti = new PairCounts(), readonly existingAnti = new PairCounts(),
  ) {}
  clone(): FilterState { return new FilterState(this.affinityTerms, this.antiTerms, this.selfMatches, this.affinity.clone(), this.anti.clone(), this.existingAnti.clone()); }

  /** Account for `other` on `node` (delta +1 when added, -1 when removed). */
  update(pod: Pod, other: Pod, node: Node, delta: number): void {
    for (const t of requiredTerms(other, 'podAntiAffinity')) if (termMatches(t, pod)) this.existingAnti.add(node, t.topologyKey, delta);
    // An existing pod counts for affinity only when it matches every term, as in Kubernetes.
    if (this.affinityTerms.length > 0 && this.affinityTerms.every((t) => termMatches(t, other))) for (const t of this.affinityTerms) this.affinity.add(node, t.topologyKey, delta);
    for (const t of this.antiTerms) if (termMatches(t, other)) this.anti.add(node, t.topologyKey, delta);
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
  preFilter(pod, snapshot, state) {
    const affinityTerms = requiredTerms(pod, 'podAffinity');
    const s = new FilterState(affinityTerms, requiredTerms(pod, 'podAntiAffinity'), affinityTerms.every((t) => termMatches(t, pod)));
    // Without terms of its own only existing pods' required anti-affinity can matter.
    const own = affinityTerms.length > 0 || s.antiTerms.length > 0;
    for (const n of snapshot.nodes) for (const other of own ? n.pods : n.podsWithRequiredAntiAffinity) s.update(pod, other, n.node, 1);
    state.write(filterKey, s);
    return success;
  },
  addPod(state, pod, other, node) { state.read(filterKey)?.update(pod, other, node.node, 1); },
  removePod(state, pod, other, node) { state.read(filterKey)?.update(pod, other, node.node, -1); },
  filter(_pod, node, state) {
    const s = state.read(filterKey);
    if (!s) return errorStatus('InterPodAffinity: its PreFilter did not run; list the plugin under preFilters in the profile');
    if (!satisfiesAffinity(s, node.node)) return unresolvable("node(s) didn't match pod affinity rules");
    if (!satisfiesAntiAffinity(s, node.node)) return unschedulable("node(s) didn't match pod anti-affinity rules");
    if (!satisfiesExistingAntiAffinity(s, node.node)) return unschedulable("node(s) didn't satisfy existing pods anti-affinity rules");
    return success;
  },
  preScore(pod, _feasible, state, snapshot) {
    const affinity = preferredTerms(pod, 'podAffinity');
    const anti = preferredTerms(pod, 'podAntiAffinity');
    const topology = new PairCounts();
    const keys = new Set<string>();
    const apply = (terms: AffinityTerm[], target: Pod, node: Node, sign: number, weight?: number): void => {
      for (const t of terms) {
        if (!termMatches(t, target) || topologyValue(node, t.topologyKey) === undefined) continue;
        topology.add(node, t.topologyKey, sign * (weight ?? t.weight));
        keys.add(t.topologyKey);
      }
    };
    // Without preferred terms of its own only existing pods' terms can matter.
    const own = affinity.length > 0 || anti.length > 0;
    for (const n of snapshot.nodes) {
      if (Object.keys(n.node.metadata.labels ?? {}).length === 0) continue;
      for (const other of own ? n.pods : n.podsWithAffinity) {
        apply(affinity, other, n.node, 1); // our preferred terms pull towards matching pods
        apply(anti, other, n.node, -1); // and push away from them
        if (!hasPodAffinity(other)) continue;
        apply(requiredTerms(other, 'podAffinity'), pod, n.node, 1, hardPodAffinityWeight); // their terms that match us
        apply(preferredTerms(other, 'podAffinity'), pod, n.node, 1);
        apply(preferredTerms(other, 'podAntiAffinity'), pod, n.node, -1);
      }
    }
    state.write(scoreKey, new ScoreState(topology, keys));
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
