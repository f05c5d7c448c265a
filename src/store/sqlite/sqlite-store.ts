/**
 * The SQLite state store: etcd semantics (one global revision, kv + event log, watch, compaction) on
 * one better-sqlite3 connection. Writes go through the group committer; reads run directly, and as
 * everything runs on one thread a read never sees half a batch.
 */
import { closeSync, fdatasync, fdatasyncSync, openSync } from 'node:fs';
import {
  StoreCompactedError, StoreConflictError,
  type KeyValue, type ListResult, type StateStore, type StoreEvent, type Watch,
} from '../types.js';
import { applyWrite, type WriteOp } from './apply.js';
import { GroupCommitter, type Outcome } from './group-commit.js';
import { openDatabase, type Db } from './schema.js';
import { makeSidecarsPrivate, makeStoreFilePrivate } from './file-mode.js';
import { Statements } from './statements.js';
import { WatchHub } from './watch-hub.js';

/** Counters that show group commit at work. */
export interface CommitStats { batches: number; writes: number }

/** Opens (creating if needed) the store file at path; only one process may hold it open. */
export function openSqliteStore(path: string): Promise<SqliteStore> {
  return settled(() => {
    makeStoreFilePrivate(path);
    const store = new SqliteStore(openDatabase(path), path);
    makeSidecarsPrivate(path); // the WAL opening made, should it predate this release
    return store;
  });
}

/** Runs fn now and reports its result or throw as a promise (the store's work is synchronous). */
function settled<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}

/**
 * A StateStore backed by one SQLite file in WAL mode. SQLite commits with synchronous=NORMAL (no
 * fsync on the event loop); the group committer then fdatasyncs the WAL in the thread pool before it
 * acknowledges the writes, so an acknowledged write is as durable as with synchronous=FULL.
 */
export class SqliteStore implements StateStore {
  private readonly st: Statements;
  private readonly writer: GroupCommitter;
  private readonly hub: WatchHub;
  private readonly commitTx: (ops: readonly WriteOp[]) => { outcomes: Outcome[]; revision: number };
  private revision: number;
  private compacted: number;
  /** Log rows up to here are gone; can lag compacted while a replaying watcher needs them. */
  private prunedTo: number;
  private closed = false;
  private readonly counters: CommitStats = { batches: 0, writes: 0 };

  /** Use openSqliteStore. */
  constructor(private readonly db: Db, readonly path: string) {
    this.st = new Statements(db);
    this.revision = this.st.meta('revision');
    this.compacted = this.st.meta('compacted');
    this.prunedTo = this.compacted;
    const tx = db.transaction((ops: readonly WriteOp[]) => this.applyBatch(ops));
    this.commitTx = (ops) => tx.immediate(ops); // IMMEDIATE: take the write lock at BEGIN, not mid-batch
    this.hub = new WatchHub(
      { eventsAfter: (p, after, limit) => this.st.eventsAfter(p, after, limit), head: () => this.revision },
      () => this.prune(),
    );
    this.writer = new GroupCommitter({
      commit: (ops) => this.commit(ops),
      committed: (events) => this.hub.publish(events),
      sync: {
        async: () => new Promise<void>((resolve, reject) => fdatasync(this.walFile(), (err) => (err ? reject(err) : resolve()))),
        now: () => fdatasyncSync(this.walFile()),
      },
    });
  }

  private walFd: number | undefined;
  /** The WAL file, opened once: SQLite keeps it (same inode) for the life of the connection. */
  private walFile(): number {
    this.walFd ??= openSync(`${this.path}-wal`, 'r');
    return this.walFd;
  }

  currentRevision(): Promise<number> {
    return this.read(() => this.revision);
  }

  get(key: string): Promise<KeyValue | undefined> {
    return this.read(() => this.st.get(key));
  }

  list(prefix: string): Promise<ListResult> {
    return this.read(() => ({ items: this.st.list(prefix), revision: this.revision }));
  }

  async create(key: string, value: string): Promise<KeyValue> {
    const e = await this.writer.submit({ kind: 'create', key, value });
    return { ...e.kv };
  }

  async update(key: string, value: string, expectedRevision: number): Promise<KeyValue> {
    const e = await this.writer.submit({ kind: 'update', key, value, expectedRevision });
    return { ...e.kv };
  }

  async delete(key: string, expectedRevision?: number): Promise<KeyValue> {
    const e = await this.writer.submit({ kind: 'delete', key, expectedRevision });
    if (e.prev === undefined) throw new Error(`state store: delete of ${key} lost its previous value (internal error)`);
    return { ...e.prev };
  }

  watch(prefix: string, fromRevision: number, onEvent: (e: StoreEvent) => void): Watch {
    this.assertOpen();
    if (!Number.isSafeInteger(fromRevision) || fromRevision < 0) {
      throw new RangeError(`state store: watch fromRevision must be a revision >= 0, got ${fromRevision}`);
    }
    if (fromRevision !== 0 && fromRevision < this.compacted) throw new StoreCompactedError(fromRevision, this.compacted);
    return this.hub.add(prefix, fromRevision, onEvent);
  }

  compact(revision: number): Promise<void> {
    return settled(() => { this.compactNow(revision); });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.writer.close(); // commits and syncs what is queued, so no accepted write is dropped
    this.closed = true;
    await this.writer.idle(); // a sync still running must finish before its file is closed
    this.hub.closeAll();
    if (this.walFd !== undefined) closeSync(this.walFd);
    this.db.close();
  }

  /** Snapshots of this store are SQLite database files. */
  readonly snapshotKind = 'sqlite' as const;

  /** Writes a consistent copy with SQLite's online backup API; writes go on meanwhile. */
  async snapshotTo(file: string): Promise<void> {
    this.assertOpen();
    await this.db.backup(file);
  }

  /** How many transactions carried how many successful writes since open. */
  commitStats(): CommitStats {
    return { ...this.counters };
  }

  private compactNow(revision: number): void {
    this.assertOpen();
    if (!Number.isSafeInteger(revision) || revision < 0 || revision > this.revision) {
      throw new RangeError(`state store: cannot compact to revision ${revision}; pick one between 0 and ${this.revision}`);
    }
    if (revision <= this.compacted) return;
    const { compacted, prunedTo } = this;
    try {
      this.db.transaction(() => {
        this.st.setMetaValue('compacted', revision);
        this.compacted = revision;
        this.pruneRows();
      }).immediate();
    } catch (err) {
      this.compacted = compacted; // the transaction rolled back; so does our view of it
      this.prunedTo = prunedTo;
      throw err;
    }
  }

  private commit(ops: readonly WriteOp[]): Outcome[] {
    if (this.closed) throw new Error('the store was closed');
    const { outcomes, revision } = this.commitTx(ops);
    this.counters.batches += 1;
    this.counters.writes += revision - this.revision;
    this.revision = revision;
    return outcomes;
  }

  /** Runs inside the batch transaction; conflicts become per-op outcomes, anything else aborts it. */
  private applyBatch(ops: readonly WriteOp[]): { outcomes: Outcome[]; revision: number } {
    const start = this.st.meta('revision');
    let rev = start;
    const outcomes: Outcome[] = [];
    for (const op of ops) {
      try {
        outcomes.push({ ok: true, event: applyWrite(this.st, op, rev + 1) });
        rev += 1;
      } catch (err) {
        if (!(err instanceof StoreConflictError)) throw err;
        outcomes.push({ ok: false, error: err });
      }
    }
    if (rev !== start) this.st.setMetaValue('revision', rev);
    return { outcomes, revision: rev };
  }

  /** Deletes compacted log rows that no replaying watcher still needs (inside a transaction or not). */
  private pruneRows(): void {
    const floor = this.hub.pinnedFloor();
    const upTo = floor === undefined ? this.compacted : Math.min(this.compacted, floor);
    if (upTo <= this.prunedTo) return;
    this.st.dropEventsUpTo(upTo);
    this.prunedTo = upTo;
  }

  private prune(): void {
    if (!this.closed) this.pruneRows();
  }

  /** Reads run synchronously: no batch can commit halfway through one. */
  private read<T>(fn: () => T): Promise<T> {
    return settled(() => { this.assertOpen(); return fn(); });
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`state store ${this.path} is closed; reopen it first`);
  }
}
