/**
 * An informer (client-go's SharedIndexInformer, small): list, then watch from the list's
 * resourceVersion, into a shared read-only cache with indexes, telling handlers of each change.
 */
import type { ApiObject, WatchEvent } from '../../api/meta.js';
import type { Clock, TimerClock } from '../../api/clock.js';
import type { ApiClient, ListOptions, Watcher } from '../types.js';
import { IndexedCache, type IndexFn } from './cache.js';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { isApiError } from './errors.js';
import { keyOf } from './keys.js';
import { every, timerClock } from './timers.js';

/** What an informer lists and watches: a resource, optionally one namespace and selectors. */
export interface InformerSource extends ListOptions {
  resource: string;
  namespace?: string;
}

/** An informer's inputs: only the API and a clock, so it runs wherever an ApiClient reaches. */
export interface InformerOptions<T> extends InformerSource {
  api: ApiClient;
  /** Timers for the restart back-off and the resyncs (default: the machine's). */
  clock?: Clock;
  log?: (msg: string) => void;
  /** Restart back-off after a broken watch or failed list (default 1 s doubling to 30 s). */
  backoff?: BackoffOptions;
  /** Applied to every object before it is cached (to keep less of it); only on an informer nobody shares. */
  transform?: (obj: T) => T;
}

/** What a component is told; objects are shared and read-only. */
export interface EventHandler<T> {
  /** A new object; initialList: it came from a list (the first, or a re-list after 410 Gone). */
  onAdd?(obj: T, initialList: boolean): void;
  /** A changed object; also on a resync (old === cur) and for every object a re-list still has. */
  onUpdate?(old: T, cur: T): void;
  /** The object's last state; also for an object a re-list no longer has. */
  onDelete?(obj: T): void;
}

interface Registration<T> { handler: EventHandler<T>; resyncMs?: number; cancelResync?: () => void }

/** One resource kept in memory from a list and a watch, with handlers, indexes and restarts. */
export class Informer<T extends ApiObject> {
  private readonly cache = new IndexedCache<T>();
  private readonly registrations = new Set<Registration<T>>();
  private readonly clock: TimerClock;
  private readonly log: (msg: string) => void;
  private readonly backoff: BackoffOptions;
  private started: Promise<void> | undefined;
  private markSynced: (() => void) | undefined;
  private synced = false;
  private stopped = false;
  private watcher: Watcher | undefined;
  private lastRv: string | undefined;
  private failures = 0;
  private cancelRetry: (() => void) | undefined;

  constructor(private readonly opts: InformerOptions<T>) {
    this.clock = timerClock(opts.clock);
    this.log = opts.log ?? ((m) => console.error(`informer ${opts.resource}: ${m}`));
    this.backoff = opts.backoff ?? { baseMs: 1000, maxMs: 30_000 };
  }

  /** The resource this informer follows. */
  get resource(): string { return this.opts.resource; }

  /**
   * Tell handler of every change; resyncMs: also onUpdate(o, o) for every object each period. A
   * handler added after the first list first gets onAdd for every object held. Returns its removal.
   */
  addHandler(handler: EventHandler<T>, opts: { resyncMs?: number } = {}): () => void {
    const r: Registration<T> = { handler, resyncMs: opts.resyncMs };
    this.registrations.add(r);
    if (this.synced) for (const o of this.cache.values()) this.call(() => handler.onAdd?.(o, true));
    if (opts.resyncMs !== undefined && !this.stopped) this.armResync(r);
    return () => { r.cancelResync?.(); this.registrations.delete(r); };
  }

  /** Add an index (e.g. pods by spec.nodeName); objects held are indexed at once. */
  addIndex(name: string, fn: IndexFn<T>): void { this.cache.addIndex(name, fn); }

  /** List and watch; resolves once the first list is in (or at stop). Calling it again returns the same. */
  start(): Promise<void> {
    this.started ??= new Promise<void>((resolve) => {
      this.markSynced = resolve;
      if (this.stopped) { resolve(); return; }
      void this.relist();
    });
    return this.started;
  }

  stop(): void {
    this.stopped = true;
    this.watcher?.stop();
    this.cancelRetry?.();
    for (const r of this.registrations) r.cancelResync?.();
    this.markSynced?.();
  }

  /** True once the first list is in. */
  hasSynced(): boolean { return this.synced; }

  get size(): number { return this.cache.size; }
  /** The held copy of the object with this key (keys.ts: "ns/name", or "name"). */
  get(key: string): T | undefined { return this.cache.get(key); }
  list(): T[] { return [...this.cache.values()]; }
  keys(): string[] { return this.cache.keys(); }
  /** The objects whose index `name` has value. */
  byIndex(name: string, value: string): T[] { return this.cache.byIndex(name, value); }

  /**
   * Put the answer of one's own write in at once, unless a newer copy is held, so the next decision
   * does not act on the stale view of it; handlers are not told (the watch tells them).
   */
  remember(obj: T): void { this.cache.setIfNewer(this.shape(obj)); }

  private shape(o: T): T { return this.opts.transform ? this.opts.transform(o) : o; }

  private armResync(r: Registration<T>): void {
    r.cancelResync = every(this.clock, r.resyncMs!, () => {
      if (!this.synced) return;
      for (const o of this.cache.values()) this.call(() => r.handler.onUpdate?.(o, o));
    });
  }

  private async relist(): Promise<void> {
    const { api, resource, namespace, labelSelector, fieldSelector } = this.opts;
    try {
      const list = await api.list<T>(resource, namespace, { labelSelector, fieldSelector });
      if (this.stopped) return;
      this.failures = 0;
      this.replace(list.items.map((o) => this.shape(o)));
      this.lastRv = list.metadata.resourceVersion;
      this.synced = true;
      this.markSynced?.();
      this.watch();
    } catch (e) {
      this.retry(`listing failed (${message(e)})`, () => this.relist());
    }
  }

  private watch(): void {
    const { api, resource, namespace, labelSelector, fieldSelector } = this.opts;
    // Read-only: the cache and the handlers only read, so the server decodes each change once for every such watcher.
    const w = api.watch<T>(resource, namespace, { labelSelector, fieldSelector, resourceVersion: this.lastRv, readOnly: true }, (e) => this.onEvent(e));
    this.watcher = w;
    w.done.then(
      () => this.retry('watch ended; watching again', () => this.watch()),
      (e: unknown) => {
        // 410 Gone: the revision we had is compacted away, so only a fresh list is complete.
        if (isApiError(e, 'Gone')) this.retry(`watch expired (${message(e)}); listing again`, () => this.relist());
        else this.retry(`watch broke (${message(e)}); watching again from ${this.lastRv ?? 'now'}`, () => this.watch());
      },
    );
  }

  private retry(why: string, again: () => void): void {
    if (this.stopped) return;
    const ms = backoffDelay(this.backoff, this.failures++);
    this.log(`${why} in ${ms} ms`);
    this.cancelRetry = this.clock.after(ms, () => { this.cancelRetry = undefined; if (!this.stopped) again(); });
  }

  private onEvent(e: WatchEvent<T>): void {
    if (this.stopped) return;
    const rv = e.object?.metadata?.resourceVersion;
    if (rv) this.lastRv = rv;
    this.failures = 0;
    if (e.type !== 'ADDED' && e.type !== 'MODIFIED' && e.type !== 'DELETED') return;
    const obj = this.shape(e.object);
    const key = keyOf(obj);
    if (e.type === 'DELETED') {
      this.cache.delete(key);
      this.notify((h) => h.onDelete?.(obj));
      return;
    }
    const old = this.cache.get(key);
    this.cache.setIfNewer(obj);
    if (old === undefined) this.notify((h) => h.onAdd?.(obj, false));
    else this.notify((h) => h.onUpdate?.(old, obj));
  }

  /** A list's objects replace the cache: new ones are added, held ones updated, missing ones deleted. */
  private replace(items: T[]): void {
    const seen = new Set<string>();
    for (const o of items) {
      const key = keyOf(o);
      seen.add(key);
      const old = this.cache.get(key);
      this.cache.setIfNewer(o);
      if (old === undefined) this.notify((h) => h.onAdd?.(o, true));
      else this.notify((h) => h.onUpdate?.(old, o));
    }
    for (const key of this.cache.keys()) {
      if (seen.has(key)) continue;
      const gone = this.cache.delete(key)!;
      this.notify((h) => h.onDelete?.(gone));
    }
  }

  private notify(fn: (h: EventHandler<T>) => void): void {
    for (const r of this.registrations) this.call(() => fn(r.handler));
  }

  /** A handler that throws is logged; the others, and the informer, go on. */
  private call(fn: () => void): void {
    try { fn(); } catch (e) { this.log(`a handler failed: ${message(e)}`); }
  }
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
