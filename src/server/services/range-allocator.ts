/**
 * A set of integers [first, last] handed out one at a time: the bitmap under the ClusterIP and the
 * NodePort allocators (kube-apiserver's registry/core/service/allocator, kept in memory and rebuilt
 * from the stored Services when the server starts).
 */
export class RangeAllocator {
  private readonly used = new Set<number>();
  /** Where the next scan starts: freed values are handed out again only after the rest of the range. */
  private cursor: number;

  constructor(readonly first: number, readonly last: number, private readonly reserved: ReadonlySet<number> = new Set()) {
    this.cursor = first;
  }

  /** Whether v is inside the range. */
  contains(v: number): boolean { return Number.isInteger(v) && v >= this.first && v <= this.last; }

  /** Whether v is taken. */
  has(v: number): boolean { return this.used.has(v); }

  /** Take v; false when it is outside the range or already taken. */
  take(v: number): boolean {
    if (!this.contains(v) || this.used.has(v)) return false;
    this.used.add(v);
    return true;
  }

  /** Take the next free value (never a reserved one, those are only taken by name); undefined when full. */
  next(): number | undefined {
    const size = this.last - this.first + 1;
    for (let i = 0; i < size; i++) {
      const v = this.first + ((this.cursor - this.first + i) % size);
      if (this.used.has(v) || this.reserved.has(v)) continue;
      this.used.add(v);
      this.cursor = v + 1 > this.last ? this.first : v + 1;
      return v;
    }
    return undefined;
  }

  /** Give v back. */
  release(v: number): void { this.used.delete(v); }

  /** How many values are taken. */
  get size(): number { return this.used.size; }
}

/** Dotted quad to an unsigned 32-bit number. */
export function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

/** An unsigned 32-bit number to a dotted quad. */
export function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => String(Math.floor(n / 2 ** s) % 256)).join('.');
}
