/**
 * The one keyed work queue (client-go's workqueue.RateLimitingInterface with its workers): keys
 * ("ns/name") wait in a set, N workers reconcile them, and a key never runs twice at once: one added
 * while it runs runs once more afterwards. Delays and back-offs run on the injected clock.
 */
import type { Clock, TimerClock } from '../../api/clock.js';
import { PerKeyBackoff, type BackoffOptions } from './backoff.js';
import { maxDelayMs, timerClock } from './timers.js';

/** How a queue runs its keys. */
export interface WorkQueueOptions {
  /** Keys reconciled at once (default 1). */
  workers?: number;
  /** Timers of addAfter and addRateLimited (default: the machine's). */
  clock?: Clock;
  /** addRateLimited's delay per key: baseMs·2^failures, capped at maxMs (default 1 s to 5 min). */
  backoff?: BackoffOptions;
  /** A failed reconcile is logged and added rate-limited; a successful one forgets the key's failures (default true). */
  retryOnError?: boolean;
  log?: (msg: string) => void;
}

/** How long the workers may run on without giving the event loop a turn (the scheduler's slice too). */
const yieldEveryMs = 5;

/** Keys waiting for a reconcile, and the workers that run them. */
export class WorkQueue {
  private readonly dirty = new Set<string>();
  private readonly busy = new Set<string>();
  private readonly delayed = new Map<string, { at: number; cancel: () => void }>();
  private readonly clock: TimerClock;
  private readonly limiter: PerKeyBackoff;
  private readonly workers: number;
  private readonly log: (msg: string) => void;
  private running = 0;
  private started = false;
  private stopped = false;
  private waiters: (() => void)[] = [];
  /** When the current turn of the event loop began for this queue (undefined: a new turn). */
  private sliceStart: number | undefined;
  private resumeScheduled = false;

  constructor(private readonly reconcile: (key: string) => Promise<void>, private readonly opts: WorkQueueOptions = {}) {
    this.clock = timerClock(opts.clock);
    this.limiter = new PerKeyBackoff(opts.backoff ?? { baseMs: 1000, maxMs: 300_000 });
    this.workers = Math.max(1, opts.workers ?? 1);
    this.log = opts.log ?? ((m) => console.error(m));
  }

  /** Let the workers run; keys added before wait until now (tests that drive reconcile by hand never start it). */
  start(): void {
    this.started = true;
    this.pump();
  }

  /** Queue a key; one queued twice before its turn runs once. */
  add(key: string): void {
    if (this.stopped) return;
    this.dirty.add(key);
    this.pump();
  }

  /** Queue a key after ms on the clock; of several pending delays for one key the earliest holds. */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    if (ms <= 0) { this.add(key); return; }
    const at = this.clock.now() + ms;
    const pending = this.delayed.get(key);
    if (pending && pending.at <= at) return;
    pending?.cancel();
    const cancel = this.clock.after(Math.min(ms, maxDelayMs), () => {
      this.delayed.delete(key);
      this.add(key);
    });
    this.delayed.set(key, { at, cancel });
  }

  /** Queue a key after its own back-off, which doubles with each call until forget(key). */
  addRateLimited(key: string): void { this.addAfter(key, this.limiter.next(key)); }

  /** Start key's back-off over (after it succeeded). */
  forget(key: string): void { this.limiter.forget(key); }

  /** How many times key was added rate-limited since it was last forgotten. */
  numRequeues(key: string): number { return this.limiter.count(key); }

  /** Keys waiting (not running, not delayed). */
  get length(): number { return this.dirty.size; }

  /** Resolves once nothing runs and nothing waits (delayed keys do not count; an unstarted queue runs nothing). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((r) => this.waiters.push(r));
  }

  stop(): void {
    this.stopped = true;
    for (const d of this.delayed.values()) d.cancel();
    this.delayed.clear();
    this.dirty.clear();
    this.wakeIdle();
  }

  private isIdle(): boolean {
    return this.running === 0 && (this.dirty.size === 0 || !this.started || this.stopped);
  }

  private wakeIdle(): void {
    if (this.isIdle()) for (const w of this.waiters.splice(0)) w();
  }

  /**
   * The next key, or a turn for the event loop first: reconciles that need no I/O (a resync over
   * thousands of unchanged nodes) resolve as microtasks, and without a yield the whole queue would
   * drain in one turn while requests, watches and the scheduler wait.
   */
  private pumpOrYield(): void {
    if (performance.now() - this.turnStart() < yieldEveryMs) { this.pump(); return; }
    if (this.resumeScheduled) return;
    this.resumeScheduled = true;
    setImmediate(() => { this.resumeScheduled = false; this.pump(); });
  }

  /** When this turn began: the first call in a turn notes it, and a setImmediate marks the turn's end. */
  private turnStart(): number {
    if (this.sliceStart === undefined) {
      this.sliceStart = performance.now();
      setImmediate(() => { this.sliceStart = undefined; });
    }
    return this.sliceStart;
  }

  private pump(): void {
    if (!this.started || this.stopped) return;
    for (const key of this.dirty) {
      if (this.running >= this.workers) break;
      if (this.busy.has(key)) continue;
      this.dirty.delete(key);
      this.busy.add(key);
      this.running++;
      void this.run(key);
    }
  }

  private async run(key: string): Promise<void> {
    try {
      await this.reconcile(key);
      if (this.opts.retryOnError !== false) this.limiter.forget(key);
    } catch (e) {
      this.log(`${key}: ${e instanceof Error ? e.message : String(e)}`);
      if (this.opts.retryOnError !== false && !this.stopped) this.addRateLimited(key);
    } finally {
      this.busy.delete(key);
      this.running--;
      this.pumpOrYield();
      this.wakeIdle();
    }
  }
}
