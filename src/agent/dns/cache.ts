/**
 * The forwarder's answer cache: bounded (least recently used goes first) and by TTL, as CoreDNS'
 * cache plugin: a positive answer lives for its smallest TTL (at most maxTtl), a negative one for its
 * SOA's minimum (at most maxNegativeTtl). A hit hands back the records with the time left as TTL.
 */
import type { Answer } from 'dns-packet';

/** One cached upstream answer. */
export interface CachedAnswer {
  /** The response code's number (0 NOERROR, 3 NXDOMAIN). */
  rcode: number;
  answers: Answer[];
  authorities: Answer[];
  additionals: Answer[];
}

interface Entry extends CachedAnswer { storedAt: number; expiresAt: number }

/** Bounds of the cache. */
export interface CacheOptions {
  /** Most entries held (default 10,000). */
  maxEntries?: number;
  /** Longest a positive answer is kept, in seconds (default 3600). */
  maxTtl?: number;
  /** Longest a negative answer is kept, in seconds (default 300). */
  maxNegativeTtl?: number;
  /** Milliseconds now (default Date.now). */
  now?: () => number;
}

/** A bounded TTL cache of upstream answers, keyed by name, type and class. */
export class AnswerCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly maxTtl: number;
  private readonly maxNegativeTtl: number;
  private readonly now: () => number;

  constructor(o: CacheOptions = {}) {
    this.maxEntries = o.maxEntries ?? 10_000;
    this.maxTtl = o.maxTtl ?? 3600;
    this.maxNegativeTtl = o.maxNegativeTtl ?? 300;
    this.now = o.now ?? Date.now;
  }

  /** The key of a question: names compare without case. */
  static key(name: string, type: string, klass = 'IN'): string {
    return `${name.replace(/\.$/, '').toLowerCase()}|${type}|${klass}`;
  }

  /** The answer with TTLs lowered by the time it has been held; undefined when absent or expired. */
  get(key: string): CachedAnswer | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    const now = this.now();
    if (now >= e.expiresAt) { this.entries.delete(key); return undefined; }
    this.entries.delete(key); // re-insert: most recently used last
    this.entries.set(key, e);
    const elapsed = Math.floor((now - e.storedAt) / 1000);
    const age = (rs: Answer[]): Answer[] => rs.map((r) => (r.type === 'OPT' ? r : { ...r, ttl: Math.max(0, (r.ttl ?? 0) - elapsed) } as Answer));
    return { rcode: e.rcode, answers: age(e.answers), authorities: age(e.authorities), additionals: age(e.additionals) };
  }

  /** Keep an answer for its TTL; answers that may not be cached (SERVFAIL, TTL 0) are not. */
  put(key: string, a: CachedAnswer): void {
    const ttl = ttlOf(a, this.maxTtl, this.maxNegativeTtl);
    if (ttl <= 0) return;
    const now = this.now();
    this.entries.delete(key);
    this.entries.set(key, { ...a, storedAt: now, expiresAt: now + ttl * 1000 });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  /** How many answers are held (expired ones included until looked up). */
  get size(): number { return this.entries.size; }
}

function ttlOf(a: CachedAnswer, maxTtl: number, maxNegativeTtl: number): number {
  if (a.rcode !== 0 && a.rcode !== 3) return 0;
  const records = a.answers.filter((r) => r.type !== 'OPT');
  if (a.rcode === 0 && records.length > 0) return Math.min(maxTtl, ...records.map((r) => r.ttl ?? 0));
  // Negative (NXDOMAIN or no data): the SOA's minimum bounded by its own TTL (RFC 2308).
  const soa = a.authorities.find((r) => r.type === 'SOA');
  if (!soa || soa.type !== 'SOA') return 0;
  return Math.min(maxNegativeTtl, soa.ttl ?? 0, soa.data.minimum ?? 0);
}
