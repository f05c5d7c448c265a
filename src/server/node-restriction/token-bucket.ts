/**
 * Token buckets per key (Kubernetes' EventRateLimit admission, per source): each key holds up to
 * `burst` tokens, refilled at `qps` per second; a write takes one or is refused until one is back.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly qps: number, private readonly burst: number, private readonly now: () => number = Date.now) {}

  /** Take a token for key: undefined when granted, else the whole seconds until one is back. */
  take(key: string): number | undefined {
    const t = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: t };
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 1000) * this.qps);
    b.at = t;
    this.buckets.set(key, b);
    if (b.tokens >= 1) { b.tokens -= 1; return undefined; }
    if (this.buckets.size > 10_000) this.prune(t);
    return Math.max(1, Math.ceil((1 - b.tokens) / this.qps));
  }

  /** Forget full buckets (keys that went quiet): a fresh bucket is full, so nothing changes for them. */
  private prune(t: number): void {
    for (const [k, b] of this.buckets) if (b.tokens + ((t - b.at) / 1000) * this.qps >= this.burst) this.buckets.delete(k);
  }
}
