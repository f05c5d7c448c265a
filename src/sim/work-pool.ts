/**
 * A bounded pool for API writes: at most `limit` requests in flight, the rest wait in a FIFO. Tasks
 * with a key replace a still-waiting task of the same key, so a burst of changes to one pod or node
 * costs one write with the latest state.
 */
export class WorkPool {
  private readonly queue: { key: string | undefined; task: () => Promise<void> }[] = [];
  private readonly waiting = new Map<string, { task: () => Promise<void> }>();
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
      if (entry.key !== undefined) this.waiting.delete(entry.key);
      this.active++;
      void entry.task().catch(this.onError).finally(() => {
        this.active--;
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
