import type { LabelSelector } from '../../api/schema/pod.js';

// The matching itself is api/label-selector.ts, the one matcher of the tree (its table test has the
// edge cases); this file keeps the scheduler's fast-path helpers and its names for that matcher.
export { requirementMatches, nodeSelectorTermMatches, labelSelectorMatches as selectorMatches } from '../../api/label-selector.js';

/** The one label pair of a selector that is exactly `matchLabels: {k: v}`, the common case worth a fast path. */
export function singleLabel(sel: LabelSelector | undefined): [string, string] | undefined {
  if (sel === undefined || (sel.matchExpressions?.length ?? 0) > 0) return undefined;
  const entries = Object.entries(sel.matchLabels ?? {});
  return entries.length === 1 ? entries[0] : undefined;
}

/** True when a selector has no requirements at all (selects everything). */
export const selectorIsEmpty = (sel: LabelSelector | undefined): boolean =>
  sel !== undefined && Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;
