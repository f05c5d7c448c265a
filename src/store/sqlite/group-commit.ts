/**
 * Group commit: writes submitted during one event-loop turn are queued and committed together in one
 * transaction on the next setImmediate. Each write still succeeds or fails on its own; only a failure
 * of the transaction itself (disk full, I/O error) fails the whole batch.
 *
 * Durability is pipelined when the target can sync off the event loop: a committed batch waits for
 * the next WAL fdatasync (run in libuv's thread pool) before its writes are acknowledged and
 * published, and the batches committed while one sync runs share the next one. The event loop never
 * blocks on the disk, and one fsync covers every batch that came before it.
 */
import type { StoreEvent } from '../types.js';
import type { WriteOp } from './apply.js';

/** The result of one write inside a committed batch. */
export type Outcome = { ok: true; event: StoreEvent } | { ok: false; error: Error };

/** What the committer drives: the durable transaction, then the post-commit fan-out. */
export interface BatchTarget {
  /** Applies ops in one durable transaction, one outcome per op; throws when the transaction failed. */
  commit(ops: readonly WriteOp[]): Outcome[];
  /** Called once a batch is durable, with its events in revision order. */
  committed(events: readonly StoreEvent[]): void;
  /**
   * Makes every committed transaction durable (fdatasync of the WAL). Without it, commit() itself
   * must be durable (synchronous=FULL).
   */
  sync?: { async(): Promise<void>; now(): void };
}

/** A committed batch whose writes wait for the sync that makes them durable. */
interface Committed { batch: Pending[]; outcomes: Outcome[] }

interface Pending {
  op: WriteOp;
  resolve: (e: StoreEvent) => void;
  reject: (err: Error) => void;
}

/** Batches writes per event-loop turn; a batch larger than maxBatch is split across turns. */
export class GroupCommitter {
  private queue: Pending[] = [];
  private scheduled = false;
  private closed = false;
  /** Committed but not yet synced, in commit order. */
  private unsynced: Committed[] = [];
  private syncing = false;
  private readonly idleWaiters: (() => void)[] = [];
  /** Why the store stopped taking writes after a failed sync. */
  private broken: unknown;

  constructor(private readonly target: BatchTarget, private readonly maxBatch = 1024) {}

  /** Queues op; resolves with its event once the batch holding it is durable. */
  submit(op: WriteOp): Promise<StoreEvent> {
    if (this.broken !== undefined) {
      const why = this.broken instanceof Error ? this.broken.message : String(this.broken);
      return Promise.reject(new Error(`state store: an fsync of the log failed (${why}); no write is taken until the server restarts and recovers from the log`));
    }
    if (this.closed) {
      return Promise.reject(new Error(`state store is closed; cannot write ${op.key} (reopen the store first)`));
    }
    return new Promise<StoreEvent>((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      this.schedule();
    });
  }

  /** Refuses further writes and commits everything still queued, synchronously. */
  close(): void {
    // Closed first: a watcher that writes on every event must not keep close() flushing forever.
    this.closed = true;
    while (this.queue.length > 0) this.flushOne();
    if (this.unsynced.length > 0) {
      const done = this.unsynced;
      this.unsynced = [];
      try {
        this.target.sync?.now();
        this.acknowledge(done);
      } catch (err) {
        this.fail(done, err);
      }
    }
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flushOne();
      if (this.queue.length > 0) this.schedule();
    });
  }

  private flushOne(): void {
    const batch = this.queue.splice(0, this.maxBatch);
    if (batch.length === 0) return;
    let outcomes: Outcome[];
    try {
      outcomes = this.target.commit(batch.map((p) => p.op));
    } catch (err) {
      this.fail([{ batch, outcomes: [] }], err);
      return;
    }
    if (!this.target.sync) { this.acknowledge([{ batch, outcomes }]); return; }
    this.unsynced.push({ batch, outcomes });
    this.startSync();
  }

  /** One sync at a time; what commits meanwhile waits for the next, which covers all of it. */
  private startSync(): void {
    if (this.syncing || this.unsynced.length === 0 || this.closed) return;
    this.syncing = true;
    const covered = this.unsynced;
    this.unsynced = [];
    this.target.sync!.async().then(
      () => this.acknowledge(covered),
      (err: unknown) => {
        // The transactions are in the WAL but may not be on disk, and watchers never heard of
        // them: like PostgreSQL after a failed fsync, refuse to go on rather than guess.
        this.closed = true;
        this.fail([...covered, ...this.unsynced], err);
        this.unsynced = [];
        this.broken = err;
      },
    ).finally(() => {
      this.syncing = false;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
      this.startSync();
    });
  }

  /** Resolves once no sync is running (close() syncs the rest itself). */
  idle(): Promise<void> {
    if (!this.syncing) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** The batches are durable: settle each write and tell the watchers, in revision order. */
  private acknowledge(done: readonly Committed[]): void {
    const events: StoreEvent[] = [];
    for (const { batch, outcomes } of done) {
      batch.forEach((p, i) => {
        const o = outcomes[i];
        if (o === undefined) p.reject(new Error(`state store: no outcome for ${p.op.key} (internal error)`));
        else if (o.ok) { events.push(o.event); p.resolve(o.event); }
        else p.reject(o.error);
      });
    }
    if (events.length > 0) this.target.committed(events);
  }

  private fail(done: readonly Committed[], err: unknown): void {
    const why = err instanceof Error ? err.message : String(err);
    for (const { batch } of done) {
      for (const p of batch) p.reject(new Error(`state store: write of ${p.op.key} was not committed: ${why}`, { cause: err }));
    }
  }
}
