/** Kubernetes' IntOrString as used by maxSurge/maxUnavailable: 3 or "25%". */
import type { IntOrString } from './schema/apps.js';

const percent = /^([0-9]+)%$/;

/** Why v is not an int or a percent string, or undefined when it is one. */
export function checkIntOrPercent(v: IntOrString): string | undefined {
  if (typeof v === 'number') return undefined;
  return percent.test(v) ? undefined : `invalid value ${JSON.stringify(v)}: must be an integer or percentage (e.g. '5%')`;
}

/** The percentage v names (0-...), or undefined when v is an int. */
export function percentOf(v: IntOrString): number | undefined {
  if (typeof v === 'number') return undefined;
  const m = percent.exec(v);
  return m ? Number(m[1]) : undefined;
}

/** v resolved against total: percentages round up or down as asked, ints are taken as they are. */
export function scaledValue(v: IntOrString, total: number, roundUp: boolean): number {
  const p = percentOf(v);
  if (p === undefined) {
    if (typeof v === 'number') return v;
    throw new Error(checkIntOrPercent(v));
  }
  const exact = (p * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/**
 * maxSurge (rounded up) and maxUnavailable (rounded down) for a number of replicas. As in Kubernetes,
 * when both come out 0 maxUnavailable becomes 1, so a rollout can always make progress.
 */
export function resolveFenceposts(maxSurge: IntOrString, maxUnavailable: IntOrString, replicas: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge, replicas, true);
  let unavailable = scaledValue(maxUnavailable, replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}
