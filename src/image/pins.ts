/** Digests that in-flight work holds on to; garbage collection skips them. Counted, since imports overlap. */
export class Pins {
  private readonly counts = new Map<string, number>();

  /** Holds a digest (blob digest or layer diff ID). */
  add(digest: string): void {
    this.counts.set(digest, (this.counts.get(digest) ?? 0) + 1);
  }

  /** Releases one hold. */
  release(digest: string): void {
    const n = (this.counts.get(digest) ?? 1) - 1;
    if (n <= 0) this.counts.delete(digest);
    else this.counts.set(digest, n);
  }

  /** Whether anything holds the digest. */
  has(digest: string): boolean {
    return this.counts.has(digest);
  }
}
