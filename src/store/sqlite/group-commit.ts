/**
 * Group commit: writes submitted during one event-loop turn are queued and committed together in one
 * transaction (one fsync) on the next setImmediate. Each write still succeeds or fails on its own;
 * only a failure of the transaction itself (disk full, I/O error) fails the whole batch.
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
}

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

  constructor(private readonly target: BatchTarget, private readonly maxBatch = 1024) {}

  /** Queues op; resolves with its event once the batch holding it is durable. */
  submit(op: WriteOp): Promise<StoreEvent> {
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
      const why = err instanceof Error ? err.message : String(err);
      for (const p of batch) {
        p.reject(new Error(`state store: write of ${p.op.key} was not committed: ${why}`, { cause: err }));
      }
      return;
    }
    const events: StoreEvent[] = [];
    batch.forEach((p, i) => {
      const o = outcomes[i];
      if (o === undefined) p.reject(new Error(`state store: no outcome for ${p.op.key} (internal error)`));
      else if (o.ok) { events.push(o.event); p.resolve(o.event); }
      else p.reject(o.error);
    });
    if (events.length > 0) this.target.committed(events);
  }
}
