/** Exponential back-off: base·2^n, capped (client-go's ItemExponentialFailureRateLimiter). */

/** Where a back-off starts and where it stops growing. */
export interface BackoffOptions { baseMs: number; maxMs: number }

/** The delay before try number `failures` + 1. */
export const backoffDelay = (b: BackoffOptions, failures: number): number =>
  Math.min(b.maxMs, b.baseMs * 2 ** Math.min(failures, 52));

/** Failures counted per key; forget() starts a key over. */
export class PerKeyBackoff {
  private readonly failures = new Map<string, number>();
  constructor(private readonly opts: BackoffOptions) {}

  /** The delay for key's next retry, counting this failure. */
  next(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    return backoffDelay(this.opts, n);
  }

  /** How many failures key has had since it was last forgotten. */
  count(key: string): number { return this.failures.get(key) ?? 0; }

  forget(key: string): void { this.failures.delete(key); }
}
