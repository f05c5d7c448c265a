/**
 * The one label-selector matcher, as Kubernetes': labels.Requirement.Matches for one requirement,
 * metav1.LabelSelectorAsSelector for a LabelSelector object, nodeaffinity's NodeSelectorTerm for
 * node affinity, labels.SelectorFromSet for a plain map (spec.nodeSelector), and the text form
 * ("app=web,tier in (a,b)") the API's ?labelSelector= takes (parsed in selectors.ts).
 * Used by the API's list filter, the controllers, the scheduler and lcctl.
 */
import type { LabelSelector, NodeSelectorTerm } from './schema/pod.js';

type Labels = Readonly<Record<string, string>>;

/** A requirement operator: the four of a LabelSelector, plus Gt and Lt of node selector terms. */
export type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';

/** One requirement (labels.Requirement): a key, an operator, and its values. */
export interface Requirement { key: string; operator: Operator; values?: readonly string[] }

const has = (labels: Labels, key: string): boolean => Object.prototype.hasOwnProperty.call(labels, key);

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 10, 64): an optional sign and digits, within int64; undefined otherwise. */
function int64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  // BigInt: label values are int64 in Kubernetes, beyond what a double holds exactly.
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

/**
 * Whether labels.NewRequirement would accept it: In and NotIn need values, Exists and DoesNotExist
 * take none, Gt and Lt exactly one integer. A selector holding an invalid one selects nothing.
 */
export function requirementIsValid(r: Requirement): boolean {
  const n = r.values?.length ?? 0;
  switch (r.operator) {
    case 'In': case 'NotIn': return n > 0;
    case 'Exists': case 'DoesNotExist': return n === 0;
    case 'Gt': case 'Lt': return n === 1 && int64(r.values![0]!) !== undefined;
  }
}

/**
 * One requirement against labels (labels.Requirement.Matches): NotIn and DoesNotExist match a
 * missing key; Gt and Lt need the label and the one value to be integers, else they do not match.
 */
export function requirementMatches(r: Requirement, labels: Labels): boolean {
  const values = r.values ?? [];
  const present = has(labels, r.key);
  const value = present ? labels[r.key]! : '';
  switch (r.operator) {
    case 'In': return present && values.includes(value);
    case 'NotIn': return !present || !values.includes(value);
    case 'Exists': return present;
    case 'DoesNotExist': return !present;
    case 'Gt':
    case 'Lt': {
      if (!present || values.length !== 1) return false;
      const have = int64(value);
      const want = int64(values[0]!);
      if (have === undefined || want === undefined) return false;
      return r.operator === 'Gt' ? have > want : have < want;
    }
  }
}

/** A plain map as a selector (labels.SelectorFromSet, spec.nodeSelector): every pair present; absent or empty selects everything. */
export function labelsMatch(set: Labels | undefined, labels: Labels | undefined): boolean {
  const l = labels ?? {};
  for (const [k, v] of Object.entries(set ?? {})) if (!has(l, k) || l[k] !== v) return false;
  return true;
}

/** Gt and Lt belong to node selector terms only (a LabelSelector with one is invalid). */
const labelSelectorOperator = (r: Requirement): boolean => r.operator !== 'Gt' && r.operator !== 'Lt';

/**
 * A metav1.LabelSelector: absent selects nothing, empty ({}) everything; matchLabels and
 * matchExpressions ANDed (a key may appear in both, and must then satisfy both). An invalid
 * expression (see requirementIsValid; Gt and Lt are not LabelSelector operators) selects nothing.
 */
export function labelSelectorMatches(sel: LabelSelector | undefined, labels: Labels | undefined): boolean {
  if (sel === undefined) return false;
  const l = labels ?? {};
  if (!labelsMatch(sel.matchLabels, l)) return false;
  for (const r of sel.matchExpressions ?? []) if (!labelSelectorOperator(r) || !requirementIsValid(r) || !requirementMatches(r, l)) return false;
  return true;
}

/** The fields a node selector term's matchFields reads: metadata.name only (any other reads as ""). */
function nodeField(node: { metadata: { name: string } }, key: string): string {
  return key === 'metadata.name' ? node.metadata.name : '';
}

/**
 * One node selector term (nodeaffinity.nodeSelectorTerm): matchExpressions on the node's labels
 * (Gt and Lt allowed) and matchFields on its name (In or NotIn with one value), ANDed. A term with
 * neither, or with an invalid requirement, matches no node, as in Kubernetes.
 */
export function nodeSelectorTermMatches(term: NodeSelectorTerm, node: { metadata: { name: string; labels?: Labels } }): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  for (const r of exprs) if (!requirementIsValid(r) || !requirementMatches(r, labels)) return false;
  for (const r of fields) {
    if ((r.operator !== 'In' && r.operator !== 'NotIn') || r.values?.length !== 1) return false;
    if ((nodeField(node, r.key) === r.values[0]) !== (r.operator === 'In')) return false;
  }
  return true;
}

/** The text form of a LabelSelector ("app=web,tier in (a,b),!legacy"), as the API's labelSelector parameter. */
export function selectorText(sel: LabelSelector): string {
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const r of sel.matchExpressions ?? []) {
    if (r.operator === 'Exists') parts.push(r.key);
    else if (r.operator === 'DoesNotExist') parts.push(`!${r.key}`);
    else parts.push(`${r.key} ${r.operator === 'In' ? 'in' : 'notin'} (${(r.values ?? []).join(',')})`);
  }
  return parts.join(',');
}
