import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import type { LabelSelector, PodAffinityTerm } from '../../api/schema/pod.js';
import { selectorMatches } from '../framework/labels.js';
import { labelCountKey, podNamespace } from '../framework/node-info.js';
import { singleLabel } from '../framework/labels.js';

/** A pod (anti-)affinity term with its namespaces resolved and its weight (1 for required terms). */
export interface AffinityTerm {
  namespaces: ReadonlySet<string>;
  selector: LabelSelector | undefined;
  topologyKey: string;
  weight: number;
  /** For a one-label selector: the keys of the nodes' label counts that answer it, one per namespace. */
  countKeys?: string[];
}

const resolve = (owner: Pod, t: PodAffinityTerm, weight: number): AffinityTerm => {
  // No namespaces: the term's own pod's namespace, as in Kubernetes.
  const namespaces = new Set(t.namespaces && t.namespaces.length > 0 ? t.namespaces : [podNamespace(owner)]);
  const out: AffinityTerm = { namespaces, selector: t.labelSelector, topologyKey: t.topologyKey, weight };
  const label = singleLabel(t.labelSelector);
  if (label) out.countKeys = [...namespaces].map((ns) => labelCountKey(ns, label[0], label[1]));
  return out;
};

type Kind = 'podAffinity' | 'podAntiAffinity';

/**
 * Resolved terms per Pod object and kind: existing pods' terms are read in every cycle, and a Pod
 * object never changes (the watch replaces it), so each is resolved once.
 */
const resolved = new WeakMap<Pod, Map<string, AffinityTerm[]>>();
function memo(pod: Pod, slot: string, make: () => AffinityTerm[]): AffinityTerm[] {
  let byKind = resolved.get(pod);
  if (!byKind) { byKind = new Map(); resolved.set(pod, byKind); }
  let terms = byKind.get(slot);
  if (!terms) { terms = make(); byKind.set(slot, terms); }
  return terms;
}

const none: AffinityTerm[] = [];

/** The pod's required terms of one kind. */
export const requiredTerms = (pod: Pod, kind: Kind): AffinityTerm[] => {
  const terms = pod.spec.affinity?.[kind]?.requiredDuringSchedulingIgnoredDuringExecution;
  return !terms?.length ? none : memo(pod, `required/${kind}`, () => terms.map((t) => resolve(pod, t, 1)));
};

/** The pod's preferred terms of one kind, with their weights. */
export const preferredTerms = (pod: Pod, kind: Kind): AffinityTerm[] => {
  const terms = pod.spec.affinity?.[kind]?.preferredDuringSchedulingIgnoredDuringExecution;
  return !terms?.length ? none : memo(pod, `preferred/${kind}`, () => terms.map((t) => resolve(pod, t.podAffinityTerm, t.weight)));
};

/** The term selects the pod: its namespace is listed and its labels match (an absent selector matches none). */
export const termMatches = (t: AffinityTerm, pod: Pod): boolean => t.namespaces.has(podNamespace(pod)) && selectorMatches(t.selector, pod.metadata.labels);

/** The node's value for the term's topology key, if it has the label. */
export const topologyValue = (node: Node, key: string): string | undefined => {
  const labels = node.metadata.labels ?? {};
  return Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : undefined;
};

/** "key=value": label keys cannot contain "=", so the pair is unambiguous. */
export const pairKey = (key: string, value: string): string => `${key}=${value}`;

/** Counts per topology pair (the domain a node is in for one key). */
export class PairCounts {
  readonly counts = new Map<string, number>();
  /** Add delta for the node's domain of `key`; nodes without the label count nowhere. */
  add(node: Node, key: string, delta: number): void {
    const value = topologyValue(node, key);
    if (value !== undefined) this.addPair(key, value, delta);
  }
  /** Add delta for the domain key=value. */
  addPair(key: string, value: string, delta: number): void {
    const k = pairKey(key, value);
    const n = (this.counts.get(k) ?? 0) + delta;
    if (n === 0) this.counts.delete(k); else this.counts.set(k, n);
  }
  get(key: string, value: string): number { return this.counts.get(pairKey(key, value)) ?? 0; }
  get size(): number { return this.counts.size; }
  clone(): PairCounts { const out = new PairCounts(); for (const [k, v] of this.counts) out.counts.set(k, v); return out; }
}
