/**
 * A small seeded PRNG (mulberry32) for randomised tests: the same seed gives the same sequence, so
 * a failure found with a random seed can be replayed by passing that seed again.
 */
export class Prng {
  private state: number;

  constructor(readonly seed: number) { this.state = seed >>> 0; }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number { return min + Math.floor(this.next() * (max - min + 1)); }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    const v = items[Math.floor(this.next() * items.length)];
    if (v === undefined) throw new Error('Prng.pick: empty list');
    return v;
  }

  /** One element, chosen by weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((a, [, w]) => a + w, 0);
    let r = this.next() * total;
    for (const [v, w] of items) { r -= w; if (r < 0) return v; }
    return items[items.length - 1]![0];
  }
}

/** The seed from an environment variable (decimal), or a fresh random one. */
export function seedFrom(envVar: string): number {
  const v = process.env[envVar];
  if (v !== undefined && /^\d+$/.test(v)) return Number(v) >>> 0;
  return Math.floor(Math.random() * 2 ** 32) >>> 0;
}
