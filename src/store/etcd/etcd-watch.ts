/**
 * One StateStore watch on its own etcd Watch stream (gRPC multiplexes the streams over the client's
 * one HTTP/2 connection). We drive the raw stream rather than etcd3's Watcher because we need what
 * that hides: the compact_revision of a cancelled watch (to raise StoreCompactedError with it) and
 * exact control of where a resumed watch starts, so an event is never delivered twice.
 */
import type { Etcd3, IEvent, IWatchResponse } from 'etcd3';
import { StoreCompactedError, type StoreEvent, type Watch } from '../types.js';
import { rev, type KeySpace } from './codec.js';

/** What a watch needs from its store. */
export interface WatchDeps {
  client: Etcd3;
  keys: KeySpace;
  /** A compacted watch tells the store how far etcd has compacted. */
  sawCompaction(revision: number): void;
}

/** A stream as etcd3 hands it out, plus grpc-js's cancel (present at run time, not in its typings). */
interface CancellableStream {
  write(item: object): void;
  on(event: string, fn: (arg: never) => void): unknown;
  cancel?: () => void;
}

/**
 * Streams events under prefix with revision > from. Start etcd's watch AT from (not from + 1) and drop
 * revision <= from: etcd then refuses exactly the starts we must refuse (from < its compaction point).
 */
export class EtcdWatch implements Watch {
  private cursor: number;
  private stream: CancellableStream | undefined;
  private stopped = false;
  private retryMs = 100;

  constructor(private readonly deps: WatchDeps, private readonly prefix: string, from: number,
    private readonly onEvent: (e: StoreEvent) => void, private readonly onError: ((err: Error) => void) | undefined) {
    this.cursor = from;
    this.open();
  }

  cancel(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.stream?.cancel?.();
    this.stream = undefined;
  }

  private open(): void {
    if (this.stopped) return;
    this.deps.client.watchClient.watch().then((s) => {
      const stream = s as unknown as CancellableStream;
      if (this.stopped) { stream.cancel?.(); return; }
      this.stream = stream;
      stream.on('data', (res: IWatchResponse) => this.onResponse(res));
      stream.on('error', () => this.reconnect(stream));
      stream.on('end', () => this.reconnect(stream));
      stream.write({ create_request: { ...this.deps.keys.range(this.prefix), start_revision: String(this.cursor), prev_kv: true } });
    }, () => this.reconnect(undefined));
  }

  /** The stream broke (etcd member restarted, network): resume after the last delivered event. */
  private reconnect(from: CancellableStream | undefined): void {
    if (this.stopped || (from !== undefined && this.stream !== from)) return;
    this.stream?.cancel?.();
    this.stream = undefined;
    const wait = this.retryMs;
    this.retryMs = Math.min(wait * 2, 5_000);
    setTimeout(() => this.open(), wait).unref();
  }

  private onResponse(res: IWatchResponse): void {
    if (this.stopped) return;
    if (res.canceled) {
      const compacted = rev(res.compact_revision);
      const err = compacted > 0
        ? new StoreCompactedError(this.cursor, compacted)
        : new Error(`etcd store: watch of ${this.prefix} cancelled by etcd: ${res.cancel_reason || 'no reason given'}`);
      if (compacted > 0) this.deps.sawCompaction(compacted);
      this.cancel();
      this.onError?.(err);
      return;
    }
    if (res.created) { this.retryMs = 100; return; }
    for (const ev of res.events) this.deliver(ev);
  }

  private deliver(ev: IEvent): void {
    const kv = this.deps.keys.kv(ev.kv);
    if (kv.modRevision <= this.cursor || this.stopped) return;
    this.cursor = kv.modRevision;
    const prev = ev.prev_kv ? this.deps.keys.kv(ev.prev_kv) : undefined;
    const e: StoreEvent = String(ev.type).toLowerCase() === 'delete' // the wire says DELETE, the typings Delete
      ? { type: 'delete', kv: { key: kv.key, value: '', createRevision: 0, modRevision: kv.modRevision }, revision: kv.modRevision, ...(prev ? { prev } : {}) }
      : { type: 'put', kv, revision: kv.modRevision, ...(prev ? { prev } : {}) };
    try {
      this.onEvent(e);
    } catch (err) {
      process.emitWarning(`etcd store: a watch callback for ${this.prefix} threw: ${String(err)}`);
    }
  }
}
