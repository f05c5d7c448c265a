/** Keys ("ns/name") reconciled by a bounded number of workers; one key never runs twice at once. */
export class KeyedWorkers {
  private readonly dirty = new Set<string>();
  private readonly busy = new Set<string>();
  private running = 0;
  private waiters: (() => void)[] = [];
  private stopped = false;

  constructor(private readonly limit: number, private readonly work: (key: string) => Promise<void>, private readonly onError: (key: string, e: unknown) => void) {}

  /** Queue a key; a key queued again while it runs runs once more afterwards. */
  add(key: string): void {
    if (this.stopped) return;
    this.dirty.add(key);
    this.pump();
  }

  /** Resolves once nothing is queued or running. */
  idle(): Promise<void> {
    if (this.running === 0 && this.dirty.size === 0) return Promise.resolve();
    return new Promise((r) => this.waiters.push(r));
  }

  stop(): void { this.stopped = true; }

  private pump(): void {
    for (const key of this.dirty) {
      if (this.running >= this.limit || this.stopped) break;
      if (this.busy.has(key)) continue;
      this.dirty.delete(key);
      this.busy.add(key);
      this.running++;
      void this.work(key)
        .catch((e: unknown) => this.onError(key, e))
        .finally(() => {
          this.busy.delete(key);
          this.running--;
          this.pump();
          if (this.running === 0 && (this.dirty.size === 0 || this.stopped)) for (const w of this.waiters.splice(0)) w();
        });
    }
  }
}
