/**
 * Existing pods' (anti-)affinity terms summed per topology domain, kept by the scheduler's cache as
 * pods come and go, so InterPodAffinity asks "which existing terms select this pod, and where are
 * they" in time proportional to the matching terms rather than a walk over every pod that has terms.
 * Identical terms of many pods (a Deployment's replicas) share one entry with a count per domain.
 */
import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import { ExtensionKey, type CacheExtension } from '../framework/extension.js';
import { hasPodAffinity, labelCountKey, podNamespace, type NodeInfo } from '../framework/node-info.js';
import { preferredTerms, requiredTerms, termMatches, topologyValue, type AffinityTerm } from './inter-pod-affinity-terms.js';

/** Called per topology domain (key=value) with the summed count or weight there. */
export type TopologyVisitor = (key: string, value: string, amount: number) => void;

/** Kubernetes' hardPodAffinityWeight default: existing pods' required affinity terms score with it. */
export const hardPodAffinityWeight = 1;

interface Entry {
  term: AffinityTerm;
  /** Signed weight each pod's copy of the term contributes (1 for required anti-affinity). */
  weight: number;
  /** How many pods carry the term, per value of the term's topology key on their nodes. */
  domains: Map<string, number>;
}

/** One kind of term (required anti-affinity, or the scored ones), indexed by the label it selects. */
class TermTable {
  private readonly entries = new Map<string, Entry>();
  /** Terms whose selector is one label, by labelCountKey(namespace, key, value) of each namespace. */
  private readonly byLabel = new Map<string, Set<Entry>>();
  /** The other terms, checked one by one. */
  private readonly general = new Set<Entry>();

  change(term: AffinityTerm, weight: number, node: Node, delta: number): void {
    const value = topologyValue(node, term.topologyKey);
    if (value === undefined) return; // a pod on a node without the key counts in no domain
    const id = termId(term, weight);
    let e = this.entries.get(id);
    if (!e) {
      if (delta < 0) return;
      e = { term, weight, domains: new Map() };
      this.entries.set(id, e);
      this.index(e, true);
    }
    const n = (e.domains.get(value) ?? 0) + delta;
    if (n > 0) e.domains.set(value, n); else e.domains.delete(value);
    if (e.domains.size === 0) { this.entries.delete(id); this.index(e, false); }
  }

  /** Each term that selects pod, with its domains. */
  matching(pod: Pod, visit: (e: Entry) => void): void {
    if (this.byLabel.size > 0) {
      const ns = podNamespace(pod);
      for (const [k, v] of Object.entries(pod.metadata.labels ?? {})) for (const e of this.byLabel.get(labelCountKey(ns, k, v)) ?? []) visit(e);
    }
    for (const e of this.general) if (termMatches(e.term, pod)) visit(e);
  }

  private index(e: Entry, add: boolean): void {
    if (e.term.countKeys === undefined) { if (add) this.general.add(e); else this.general.delete(e); return; }
    for (const key of e.term.countKeys) {
      let set = this.byLabel.get(key);
      if (!set) { if (!add) continue; set = new Set(); this.byLabel.set(key, set); }
      if (add) set.add(e); else { set.delete(e); if (set.size === 0) this.byLabel.delete(key); }
    }
  }
}

const ids = new WeakMap<AffinityTerm, string>();
/** Terms with the same namespaces, selector, topology key and weight are one entry. */
function termId(t: AffinityTerm, weight: number): string {
  let id = ids.get(t);
  if (id === undefined) { id = JSON.stringify([[...t.namespaces].sort(), t.selector ?? null, t.topologyKey]); ids.set(t, id); }
  return `${weight} ${id}`;
}

/**
 * The index over every placed pod (InterPodAffinity's cache extension): terms are counted in the
 * domains of the node their pod is on, and move when the node's labels change.
 */
export class AffinityIndex implements CacheExtension {
  private readonly requiredAnti = new TermTable();
  private readonly scored = new TermTable();

  podPlaced(pod: Pod, node: Node, delta: 1 | -1): void { this.place(pod, node, delta); }

  nodeChanged(before: Node | undefined, after: Node | undefined, info: NodeInfo): void {
    // A new node's pods arrive through podPlaced; a node that goes or is relabelled moves its pods' terms.
    if (!before || (after && JSON.stringify(before.metadata.labels ?? {}) === JSON.stringify(after.metadata.labels ?? {}))) return;
    for (const p of info.podsWithAffinity) this.place(p, before, -1);
    if (after) for (const p of info.podsWithAffinity) this.place(p, after, 1);
  }

  /** Count pod's terms in the domains of node (delta 1), or take them out (-1). */
  place(pod: Pod, node: Node, delta: number): void {
    if (!hasPodAffinity(pod)) return;
    for (const t of requiredTerms(pod, 'podAntiAffinity')) this.requiredAnti.change(t, 1, node, delta);
    for (const t of requiredTerms(pod, 'podAffinity')) this.scored.change(t, hardPodAffinityWeight, node, delta);
    for (const t of preferredTerms(pod, 'podAffinity')) this.scored.change(t, t.weight, node, delta);
    for (const t of preferredTerms(pod, 'podAntiAffinity')) this.scored.change(t, -t.weight, node, delta);
  }

  /** Required anti-affinity terms of placed pods that select pod: how many pods' terms, per domain. */
  requiredAntiAffinityMatching(pod: Pod, visit: TopologyVisitor): void {
    this.requiredAnti.matching(pod, (e) => { for (const [value, n] of e.domains) visit(e.term.topologyKey, value, n * e.weight); });
  }

  /** Terms that score pod: required affinity (hardPodAffinityWeight), preferred affinity (+weight) and anti-affinity (-weight). */
  scoredTermsMatching(pod: Pod, visit: TopologyVisitor): void {
    this.scored.matching(pod, (e) => { for (const [value, n] of e.domains) visit(e.term.topologyKey, value, n * e.weight); });
  }
}

/** InterPodAffinity's cache extension. */
export const affinityIndexKey = new ExtensionKey('InterPodAffinity/index', () => new AffinityIndex());
