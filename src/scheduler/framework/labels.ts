import type { LabelSelector, NodeSelectorRequirement, NodeSelectorTerm } from '../../api/schema/pod.js';
import type { Node } from '../../api/node.js';

type Labels = Readonly<Record<string, string>>;
type SelectorRequirement = NonNullable<LabelSelector['matchExpressions']>[number];

const has = (labels: Labels, key: string): boolean => Object.prototype.hasOwnProperty.call(labels, key);
const integer = /^[+-]?[0-9]+$/;

/**
 * One requirement against a set of labels, as Kubernetes' labels.Requirement.Matches: NotIn and
 * DoesNotExist match a missing key; Gt and Lt need the label and the one value to be integers.
 */
export function requirementMatches(r: NodeSelectorRequirement | SelectorRequirement, labels: Labels): boolean {
  const values = r.values ?? [];
  const present = has(labels, r.key);
  const value = labels[r.key] ?? '';
  switch (r.operator) {
    case 'In': return present && values.includes(value);
    case 'NotIn': return !present || !values.includes(value);
    case 'Exists': return present;
    case 'DoesNotExist': return !present;
    case 'Gt':
    case 'Lt': {
      const wanted = values[0];
      if (!present || values.length !== 1 || wanted === undefined || !integer.test(value) || !integer.test(wanted)) return false;
      // BigInt: label values are int64 in Kubernetes, beyond what a double holds exactly.
      return r.operator === 'Gt' ? BigInt(value) > BigInt(wanted) : BigInt(value) < BigInt(wanted);
    }
  }
}

/** A metav1.LabelSelector: an absent selector selects nothing, an empty one everything. */
export function selectorMatches(sel: LabelSelector | undefined, labels: Labels | undefined): boolean {
  if (sel === undefined) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (!has(l, k) || l[k] !== v) return false;
  return (sel.matchExpressions ?? []).every((r) => requirementMatches(r, l));
}

/** The one label pair of a selector that is exactly `matchLabels: {k: v}`, the common case worth a fast path. */
export function singleLabel(sel: LabelSelector | undefined): [string, string] | undefined {
  if (sel === undefined || (sel.matchExpressions?.length ?? 0) > 0) return undefined;
  const entries = Object.entries(sel.matchLabels ?? {});
  return entries.length === 1 ? entries[0] : undefined;
}

/** True when a selector has no requirements at all (selects everything). */
export const selectorIsEmpty = (sel: LabelSelector | undefined): boolean =>
  sel !== undefined && Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;

/**
 * One node selector term: matchExpressions on labels and matchFields on metadata.name, ANDed.
 * A term with neither matches no node, as in Kubernetes.
 */
export function nodeSelectorTermMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  const nodeFields = { 'metadata.name': node.metadata.name };
  return exprs.every((r) => requirementMatches(r, labels)) && fields.every((r) => requirementMatches(r, nodeFields));
}
