/**
 * The state store: a revisioned key-value log with etcd semantics. Every write bumps one global
 * revision; each key remembers the revision that created it and the one that last modified it.
 * SQLite and etcd both implement it and pass the shared conformance suite (store/conformance.ts).
 */

/** One stored value with its revisions. */
export interface KeyValue {
  key: string;
  value: string;
  /** Revision of the write that created this key (since its last deletion). */
  createRevision: number;
  /** Revision of the last write to this key; the optimistic-concurrency token. */
  modRevision: number;
}

/** What a watcher receives: a put (create or update) or a delete, in revision order. */
export interface StoreEvent {
  type: 'put' | 'delete';
  /**
   * For a put, the new value. For a delete, a tombstone as in etcd: the key, an empty value,
   * createRevision 0 and modRevision = the delete's revision; the deleted value is in prev.
   */
  kv: KeyValue;
  /** The value before this event, when it existed. */
  prev?: KeyValue;
  /** Revision of this event (equals kv.modRevision for puts). */
  revision: number;
}

export interface ListResult { items: KeyValue[]; revision: number }

/** A live watch; call cancel to stop it. Events arrive in revision order, never twice. */
export interface Watch { cancel(): void }

/** Thrown when an expected revision does not match (stale write) or a create finds the key. */
export class StoreConflictError extends Error {
  constructor(readonly key: string, readonly reason: 'exists' | 'stale' | 'missing') {
    super(`store: ${reason} ${key}`);
    this.name = 'StoreConflictError';
  }
}

/** Thrown when a watch asks for a revision that has been compacted away. */
export class StoreCompactedError extends Error {
  constructor(readonly requested: number, readonly compacted: number) {
    super(`store: revision ${requested} has been compacted (oldest kept ${compacted + 1})`);
    this.name = 'StoreCompactedError';
  }
}

export interface StateStore {
  /** The latest revision (0 for an empty store). */
  currentRevision(): Promise<number>;
  get(key: string): Promise<KeyValue | undefined>;
  /** Keys starting with prefix, sorted by key, at the current revision. */
  list(prefix: string): Promise<ListResult>;
  /** Create the key; StoreConflictError('exists') if present. Resolves once durable. */
  create(key: string, value: string): Promise<KeyValue>;
  /** Replace the value only if modRevision still equals expectedRevision; else StoreConflictError. */
  update(key: string, value: string, expectedRevision: number): Promise<KeyValue>;
  /** Delete only at expectedRevision (or unconditionally when undefined); returns the deleted kv. */
  delete(key: string, expectedRevision?: number): Promise<KeyValue>;
  /**
   * Watch keys under prefix for events after fromRevision (exclusive). fromRevision 0 means "from now".
   * Throws StoreCompactedError when fromRevision is older than the compaction point. onError, when
   * given, is called at most once if the watch ends by itself later (a network store learns of a
   * compaction only when it asks: StoreCompactedError then); no event follows it.
   */
  watch(prefix: string, fromRevision: number, onEvent: (e: StoreEvent) => void, onError?: (err: Error) => void): Watch;
  /** Forget history up to and including revision; watches from before it then fail. */
  compact(revision: number): Promise<void>;
  close(): Promise<void>;
}
