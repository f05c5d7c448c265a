/**
 * The etcd state store: our StateStore on an etcd v3 cluster through the etcd3 client. One store
 * revision is etcd's revision; conditional writes are etcd transactions comparing create_revision
 * (create) or mod_revision (update, delete); compaction is etcd's; watches ask etcd for prev_kv.
 */
import { createWriteStream } from 'node:fs';
import { Etcd3, type IKeyValue, type IOptions, type IRequestOp, type ITxnResponse } from 'etcd3';
import {
  StoreCompactedError, StoreConflictError,
  type KeyValue, type ListResult, type StateStore, type StoreEvent, type Watch,
} from '../types.js';
import { KeySpace, rev } from './codec.js';
import { EtcdWatch } from './etcd-watch.js';

/** How to reach etcd: k3s' --datastore-endpoint and its TLS files, plus a key prefix. */
export interface EtcdStoreOptions {
  /** http(s)://host:port URLs of the members. */
  endpoints: string[];
  /** PEM contents (not paths) of the CA, client cert and key, for https endpoints. */
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer };
  /** Keys are stored under this prefix ('' in production: our keys already start with /registry/). */
  prefix?: string;
}

/** Counters comparable with the SQLite store's (etcd batches in raft; one write is one "batch" here). */
export interface EtcdCommitStats { batches: number; writes: number }

/** Connects to etcd and learns its revision and compaction point; fails if no member answers. */
export async function openEtcdStore(opts: EtcdStoreOptions): Promise<EtcdStore> {
  const client = new Etcd3(clientOptions(opts));
  const store = new EtcdStore(client, new KeySpace(opts.prefix ?? ''), opts.endpoints.join(','));
  try {
    await store.init();
  } catch (err) {
    client.close();
    throw new Error(`cannot reach etcd at ${opts.endpoints.join(',')}: ${err instanceof Error ? err.message : String(err)}; check --datastore-endpoint and the TLS files`);
  }
  return store;
}

function clientOptions(opts: EtcdStoreOptions): IOptions {
  const https = opts.endpoints.some((e) => e.startsWith('https://'));
  const hosts = opts.endpoints.map((e) => e.replace(/\/+$/, ''));
  if (!https) return { hosts, dialTimeout: 5_000 };
  const { ca, cert, key } = opts.tls ?? {};
  if (!ca) throw new Error('etcd store: an https:// endpoint needs --datastore-cafile (the CA that signed etcd\'s certificate)');
  return { hosts, dialTimeout: 5_000, credentials: { rootCertificate: ca, ...(key ? { privateKey: key } : {}), ...(cert ? { certChain: cert } : {}) } };
}

/** etcd's answer when asked for history it has compacted away. */
const isCompactedError = (err: unknown): boolean => err instanceof Error && /required revision has been compacted/.test(err.message);

/** A StateStore on etcd; see openEtcdStore. */
export class EtcdStore implements StateStore {
  /** The highest revision any response showed us: "now" for a watch from 0. */
  private known = 0;
  /** etcd's compaction point as far as we know it (ours, or learned at open and from watches). */
  private compacted = 0;
  private closed = false;
  private readonly watches = new Set<EtcdWatch>();
  private readonly counters: EtcdCommitStats = { batches: 0, writes: 0 };

  /** Use openEtcdStore. */
  constructor(private readonly client: Etcd3, private readonly keys: KeySpace, readonly endpoints: string) {}

  /** Learns the current revision and, by bisection on ranges at old revisions, the compaction point. */
  async init(): Promise<void> {
    const head = await this.currentRevision();
    let lo = 1;
    let hi = head; // invariant: a range at hi works; find the smallest revision that does
    if (await this.readableAt(lo)) { hi = lo; }
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (await this.readableAt(mid)) hi = mid; else lo = mid + 1;
    }
    this.compacted = hi > 1 ? hi : 0;
  }

  private async readableAt(revision: number): Promise<boolean> {
    try {
      await this.client.kv.range({ ...this.keys.range('/'), revision: String(revision), count_only: true });
      return true;
    } catch (err) {
      if (isCompactedError(err)) return false;
      throw err;
    }
  }

  async currentRevision(): Promise<number> {
    this.assertOpen();
    const res = await this.client.kv.range({ key: this.keys.key('/'), count_only: true }); // etcd refuses an empty key
    return this.saw(res.header.revision);
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.assertOpen();
    const res = await this.client.kv.range({ key: this.keys.key(key) });
    this.saw(res.header.revision);
    const [kv] = res.kvs;
    return kv ? this.keys.kv(kv) : undefined;
  }

  async list(prefix: string): Promise<ListResult> {
    this.assertOpen();
    const res = await this.client.kv.range(this.keys.range(prefix));
    // etcd returns a range in key byte order, which is our order (code points of UTF-8).
    return { items: res.kvs.map((kv) => this.keys.kv(kv)), revision: this.saw(res.header.revision) };
  }

  async create(key: string, value: string): Promise<KeyValue> {
    const k = this.keys.key(key);
    const res = await this.txn([{ key: k, target: 'Create', result: 'Equal', create_revision: '0' }],
      [{ request_put: { key: k, value: Buffer.from(value, 'utf8') } }], []);
    if (!res.succeeded) throw new StoreConflictError(key, 'exists');
    const r = rev(res.header.revision);
    return { key, value, createRevision: r, modRevision: r };
  }

  async update(key: string, value: string, expectedRevision: number): Promise<KeyValue> {
    const k = this.keys.key(key);
    const res = await this.txn(this.at(k, expectedRevision),
      [{ request_put: { key: k, value: Buffer.from(value, 'utf8'), prev_kv: true } }], [{ request_range: { key: k } }]);
    if (!res.succeeded) throw this.conflict(key, res);
    const prev = res.responses[0]?.response_put.prev_kv;
    const r = rev(res.header.revision);
    return { key, value, createRevision: prev ? rev(prev.create_revision) : r, modRevision: r };
  }

  async delete(key: string, expectedRevision?: number): Promise<KeyValue> {
    const k = this.keys.key(key);
    const del: IRequestOp = { request_delete_range: { key: k, prev_kv: true } };
    const res = expectedRevision === undefined
      ? await this.txn([], [del], [])
      : await this.txn(this.at(k, expectedRevision), [del], [{ request_range: { key: k } }]);
    if (!res.succeeded) throw this.conflict(key, res);
    const prev: IKeyValue | undefined = res.responses[0]?.response_delete_range.prev_kvs[0];
    if (!prev) throw new StoreConflictError(key, 'missing');
    return this.keys.kv(prev);
  }

  watch(prefix: string, fromRevision: number, onEvent: (e: StoreEvent) => void, onError?: (err: Error) => void): Watch {
    this.assertOpen();
    if (!Number.isSafeInteger(fromRevision) || fromRevision < 0) {
      throw new RangeError(`state store: watch fromRevision must be a revision >= 0, got ${fromRevision}`);
    }
    if (fromRevision !== 0 && fromRevision < this.compacted) throw new StoreCompactedError(fromRevision, this.compacted);
    // "From now" is the newest revision this client has seen: a write it already acknowledged is
    // never replayed as new, and none after it is missed while the stream is being set up.
    const from = fromRevision === 0 ? Math.max(this.known, this.compacted) : fromRevision;
    const w = new EtcdWatch({ client: this.client, keys: this.keys, sawCompaction: (r) => this.sawCompaction(r) }, prefix, from, onEvent,
      (err) => { this.watches.delete(w); onError?.(err); });
    this.watches.add(w);
    return { cancel: () => { this.watches.delete(w); w.cancel(); } };
  }

  async compact(revision: number): Promise<void> {
    this.assertOpen();
    const head = await this.currentRevision();
    if (!Number.isSafeInteger(revision) || revision < 0 || revision > head) {
      throw new RangeError(`state store: cannot compact to revision ${revision}; pick one between 0 and ${head}`);
    }
    if (revision <= this.compacted || revision === 0) return;
    try {
      await this.client.kv.compact({ revision: String(revision), physical: true });
    } catch (err) {
      if (!isCompactedError(err)) throw err; // another server compacted further already
    }
    this.sawCompaction(revision);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.watches) w.cancel();
    this.watches.clear();
    this.client.close();
  }

  /** Writes acknowledged since open (etcd batches internally; each is counted as its own batch). */
  commitStats(): EtcdCommitStats { return { ...this.counters }; }

  /** Snapshots of this store are etcd's own (what `etcdctl snapshot save` writes). */
  readonly snapshotKind = 'etcd' as const;

  /** Streams etcd's maintenance snapshot (a whole bbolt database of one member) into file. */
  async snapshotTo(file: string): Promise<void> {
    this.assertOpen();
    const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
    const stream = await this.client.maintenance.snapshot();
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error): void => { out.destroy(); reject(err); };
      stream.on('data', (chunk) => { out.write(Buffer.from(chunk.blob)); });
      stream.on('error', fail);
      stream.on('end', () => out.end(resolve));
      out.on('error', fail);
    });
  }

  private at(k: Buffer, expected: number) {
    return [
      { key: k, target: 'Mod' as const, result: 'Equal' as const, mod_revision: String(expected) },
      { key: k, target: 'Version' as const, result: 'Greater' as const, version: '0' }, // never "update" an absent key at 0
    ];
  }

  private async txn(compare: NonNullable<Parameters<Etcd3['kv']['txn']>[0]['compare']>, success: IRequestOp[], failure: IRequestOp[]): Promise<ITxnResponse> {
    this.assertOpen();
    const res = await this.client.kv.txn({ compare, success, failure });
    const before = this.known;
    const r = this.saw(res.header.revision);
    if (res.succeeded && r > before) { this.counters.writes += 1; this.counters.batches += 1; }
    return res;
  }

  /** A failed conditional write: the failure branch read the key, absent means missing. */
  private conflict(key: string, res: ITxnResponse): StoreConflictError {
    const found = res.responses[0]?.response_range?.kvs.length ?? 0;
    return new StoreConflictError(key, found > 0 ? 'stale' : 'missing');
  }

  private saw(revision: string): number {
    const r = rev(revision);
    if (r > this.known) this.known = r;
    return r;
  }

  private sawCompaction(revision: number): void {
    if (revision > this.compacted) this.compacted = revision;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`etcd store (${this.endpoints}) is closed; reopen it first`);
  }
}
