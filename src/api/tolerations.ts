import type { Taint } from './schema/node.js';
import type { Toleration } from './schema/pod.js';

/**
 * Kubernetes' Toleration.ToleratesTaint: an empty effect matches every effect, an empty key (with
 * Exists) every key; Equal (the default operator) compares values, Exists ignores them.
 */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

/** The tolerations of a list that tolerate the taint (empty: not tolerated). */
export const tolerationsFor = (tolerations: readonly Toleration[] | undefined, taint: Taint): Toleration[] =>
  (tolerations ?? []).filter((t) => toleratesTaint(t, taint));
