/** Labels and selectors as kubectl prints them in tables and describe views. */
import type { LabelSelector } from '../schema/pod.js';
import { selectorText } from '../label-selector.js';

/** "app=web,tier=front", or "<none>": the LABELS column of --show-labels. */
export function labelText(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {});
  return entries.length === 0 ? '<none>' : entries.map(([k, v]) => `${k}=${v}`).join(',');
}

/** A selector as kubectl prints it: "app=web,tier in (a,b)", or "<none>" when it has no requirement. */
export function selectorString(sel: LabelSelector | undefined): string {
  return selectorText(sel ?? {}) || '<none>';
}
