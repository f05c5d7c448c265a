interface Entry { key: string | undefined; task: () => Promise<void> }

/**
 * A bounded pool for API writes: at most `limit` requests in flight, the rest wait in a FIFO. Tasks
 * with a key replace a still-waiting task of the same key, so a burst of changes to one pod or node
 * costs one write with the latest state; and a key has one task in flight at a time, so a pod's
 * writes land in the order they were made (Running never overwrites the exit that followed it).
 */
export class WorkPool {
  private readonly queue: Entry[] = [];
  private readonly waiting = new Map<string, Entry>();
  /** Keys with a task in flight, and the next task of such a key, held until that one ends. */
  private readonly inFlight = new Set<string>();
  private readonly held = new Map<string, Entry>();
  private active = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly limit: number, private readonly onError: (e: unknown) => void) {}

  submit(task: () => Promise<void>, key?: string): void {
    if (key !== undefined) {
      const queued = this.waiting.get(key);
      if (queued) { queued.task = task; return; }
    }
    const entry = { key, task };
    if (key !== undefined) this.waiting.set(key, entry);
    this.queue.push(entry);
    this.pump();
  }

  /** Resolves once nothing is queued or running (tests and shutdown). */
  idle(): Promise<void> {
    if (this.active === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private pump(): void {
    while (this.active < this.limit && this.queue.length > 0) {
      const entry = this.queue.shift()!;
      const key = entry.key;
      if (key !== undefined) {
        // Still waiting (a newer submit replaces its task), until the key's running task ends.
        if (this.inFlight.has(key)) { this.held.set(key, entry); continue; }
        this.waiting.delete(key);
        this.inFlight.add(key);
      }
      this.active++;
      void entry.task().catch(this.onError).finally(() => {
        this.active--;
        if (key !== undefined) {
          this.inFlight.delete(key);
          const next = this.held.get(key);
          if (next) { this.held.delete(key); this.queue.unshift(next); }
        }
        this.pump();
        if (this.active === 0 && this.queue.length === 0) for (const r of this.idleWaiters.splice(0)) r();
      });
    }
  }
}

/** Run fn over items with at most `limit` at a time; rejects with the first failure. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) { const i = next++; out[i] = await fn(items[i]!, i); }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
