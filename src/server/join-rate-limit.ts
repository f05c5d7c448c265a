/** A token bucket that holds up to `perMinute` tokens and refills at `perMinute` a minute. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(readonly perMinute: number, private readonly now: () => number = Date.now) {
    this.tokens = perMinute;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.perMinute, this.tokens + ((t - this.last) / 60_000) * this.perMinute);
    this.last = t;
  }

  /** Seconds until a token is there (0: one is there now). */
  wait(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.perMinute) * 60);
  }

  /** Take a token (call after wait() answered 0). */
  take(): void { this.tokens -= 1; }

  /** Whether the bucket is full again (then it holds no state worth keeping). */
  full(): boolean { this.refill(); return this.tokens >= this.perMinute; }
}

/** Limits on joins: a whole-server bucket and one per client address (0 turns a limit off). */
export interface JoinRateOptions { perMinute: number; perClientPerMinute: number; now?: () => number }

/** Keep the per-address map from growing without bound under many addresses. */
const maxClients = 10_000;

/**
 * Joins per minute, as token buckets: one for the server and one per client address. An attempt
 * takes a token from both or from neither, so a client held back by its own bucket does not spend
 * the server's, and the server's bucket caps what many addresses together can do.
 */
export class JoinRateLimiter {
  private readonly server: TokenBucket | undefined;
  private readonly clients = new Map<string, TokenBucket>();

  constructor(private readonly opts: JoinRateOptions) {
    this.server = opts.perMinute > 0 ? new TokenBucket(opts.perMinute, opts.now) : undefined;
  }

  /** Admit one join attempt from `address`: 0 when admitted, else the seconds to wait (Retry-After). */
  admit(address: string): number {
    const client = this.client(address);
    const wait = Math.max(client?.wait() ?? 0, this.server?.wait() ?? 0);
    if (wait > 0) return wait;
    client?.take();
    this.server?.take();
    return 0;
  }

  private client(address: string): TokenBucket | undefined {
    if (this.opts.perClientPerMinute <= 0) return undefined;
    let b = this.clients.get(address);
    if (b === undefined) {
      if (this.clients.size >= maxClients) for (const [k, v] of this.clients) if (v.full()) this.clients.delete(k);
      // Still full of busy addresses (many IPv6 sources): forget the oldest, a hard cap on memory.
      if (this.clients.size >= maxClients) this.clients.delete(this.clients.keys().next().value!);
      b = new TokenBucket(this.opts.perClientPerMinute, this.opts.now);
      this.clients.set(address, b);
    }
    return b;
  }
}
