import type { StateStore } from '../store/types.js';

/**
 * Compacts the store's log on a timer, as kube-apiserver compacts etcd (--etcd-compaction-interval,
 * 5 minutes): each tick compacts to the revision seen at the previous tick, so the log keeps at least
 * one interval of history for watchers to resume from, and heartbeats do not grow the file forever.
 * A client resuming from an older revision gets 410 Gone and lists again.
 */
export class StoreCompactor {
  private previous: number | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Pick<StateStore, 'currentRevision' | 'compact'>,
    private readonly intervalMs: number,
    private readonly log: (msg: string) => void = (m) => console.error(`lanternd: ${m}`),
  ) {}

  start(): void {
    void this.tick();
    this.timer = setInterval(() => { void this.tick(); }, this.intervalMs);
    this.timer.unref();
  }

  stop(): void { if (this.timer) clearInterval(this.timer); }

  /** One tick: compact to what the last tick saw; returns the revision compacted to, if any. */
  async tick(): Promise<number | undefined> {
    try {
      const now = await this.store.currentRevision();
      const target = this.previous;
      this.previous = now;
      if (target === undefined || target <= 0) return undefined;
      await this.store.compact(target);
      return target;
    } catch (e) {
      this.log(`compacting the store failed (will try again): ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }
}
