/** The delay before a Job makes a new pod after failures: base doubling per failure, capped. */

/** Back-off settings: Kubernetes' 10 s doubling to 6 minutes by default. */
export interface BackoffOptions { baseMs: number; maxMs: number }

/** Kubernetes' defaults. */
export const defaultBackoff: BackoffOptions = { baseMs: 10_000, maxMs: 360_000 };

/** The delay after `failures` consecutive failures (0 failures: none). */
export function backoffDelay(failures: number, o: BackoffOptions = defaultBackoff): number {
  if (failures <= 0) return 0;
  // 2^n overflows to Infinity for large n, which min() caps.
  return Math.min(o.maxMs, o.baseMs * 2 ** (failures - 1));
}
