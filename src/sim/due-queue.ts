import type { Clock } from './clock.js';

/**
 * Items due at non-decreasing times, served by ONE timer: heartbeats (each node due every interval)
 * and pod completions (each pod due a fixed run time after it started) both arrive in due order,
 * so a FIFO is already sorted and 5,000 nodes or 100,000 pods cost one timer, not one each.
 */
export class DueQueue<T> {
  private items: { at: number; item: T }[] = [];
  private head = 0;
  private cancel: (() => void) | undefined;
  private armedAt = Infinity;
  private stopped = false;

  constructor(private readonly clock: Clock, private readonly fire: (item: T) => void) {}

  /** Queue item for time at; a time earlier than the last one queued is served in FIFO order. */
  push(at: number, item: T): void {
    const last = this.items[this.items.length - 1];
    this.items.push({ at: last && last.at > at ? last.at : at, item });
    this.arm();
  }

  get size(): number { return this.items.length - this.head; }

  stop(): void {
    this.stopped = true;
    this.cancel?.();
    this.cancel = undefined;
  }

  private arm(): void {
    const first = this.items[this.head];
    if (this.stopped || !first || first.at >= this.armedAt) return;
    this.cancel?.();
    this.armedAt = first.at;
    this.cancel = this.clock.after(first.at - this.clock.now(), () => this.run());
  }

  private run(): void {
    this.cancel = undefined;
    this.armedAt = Infinity;
    const now = this.clock.now();
    while (!this.stopped && this.head < this.items.length && this.items[this.head]!.at <= now) {
      const { item } = this.items[this.head++]!;
      this.fire(item);
    }
    if (this.head > 1024 && this.head * 2 > this.items.length) { this.items = this.items.slice(this.head); this.head = 0; }
    this.arm();
  }
}
