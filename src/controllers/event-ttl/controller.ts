import type { Event } from '../../api/schema/event.js';
import { ApiError } from '../../api/errors.js';
import { systemClock, type Clock } from '../../api/clock.js';
import type { ApiClient, Watcher } from '../../client/types.js';
import { expiresAt } from './expiry.js';

/** Settings of the event TTL controller (Kubernetes' kube-apiserver --event-ttl). */
export interface EventTtlOptions {
  api: ApiClient;
  clock?: Clock;
  /** How long an event lives after its lastTimestamp (default 1 h). */
  ttlMs?: number;
  /** How often expired events are looked for (default 1 min). */
  intervalMs?: number;
  /** Deletes in flight at once; the controller yields to the event loop between batches (default 100). */
  batchSize?: number;
  log?: (msg: string) => void;
}

interface Tracked { namespace: string; name: string; expires: number }

const keyOf = (ev: Event): string => `${ev.metadata.namespace ?? 'default'}/${ev.metadata.name}`;
const yieldTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Deletes events whose lastTimestamp is older than the TTL. It keeps, from a list and then a watch,
 * each event's expiry time in memory, so a sweep reads no store: it deletes the due events through the
 * API in bounded batches and yields between them, so 100,000 expired events do not stall the server.
 */
export class EventTtlController {
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly batchSize: number;
  private readonly log: (msg: string) => void;
  private readonly index = new Map<string, Tracked>();
  private watcher: Watcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(private readonly opts: EventTtlOptions) {
    this.clock = opts.clock ?? systemClock;
    this.ttlMs = opts.ttlMs ?? 3_600_000;
    this.batchSize = Math.max(1, opts.batchSize ?? 100);
    this.log = opts.log ?? ((m) => console.error(`event-ttl: ${m}`));
  }

  /** List and watch events, sweep once, then every intervalMs. Resolves once the first list is in. */
  async start(): Promise<void> {
    await this.sync();
    this.timer = setInterval(() => { if (!this.running) this.sweepInBackground(); }, this.opts.intervalMs ?? 60_000);
    this.timer.unref();
    this.sweepInBackground();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.watcher?.stop();
  }

  /** How many events the controller knows of (tests, logs). */
  get tracked(): number { return this.index.size; }

  /** Delete every event that has expired by now; resolves with how many went. Sweeps run one at a time. */
  async sweep(): Promise<number> {
    const before = this.running;
    const run = (async () => {
      if (before) await before.catch(() => 0);
      return this.sweepOnce();
    })();
    this.running = run;
    try { return await run; } finally { if (this.running === run) this.running = undefined; }
  }

  private sweepInBackground(): void {
    this.sweep().catch((e: unknown) => this.log(`sweep failed: ${String(e)}`));
  }

  private async sweepOnce(): Promise<number> {
    const now = this.clock.now();
    const due: Tracked[] = [];
    for (const t of this.index.values()) if (t.expires <= now) due.push(t);
    let deleted = 0;
    let failed = 0;
    let firstError = '';
    for (let i = 0; i < due.length && !this.stopped; i += this.batchSize) {
      const results = await Promise.all(due.slice(i, i + this.batchSize).map((t) => this.expire(t)));
      for (const r of results) {
        if (r === true) deleted++;
        else if (typeof r === 'string') { failed++; firstError ||= r; }
      }
      // Let API requests in between batches: a backlog must not hold the server.
      await yieldTurn();
    }
    if (deleted > 0) this.log(`deleted ${deleted} event(s) older than ${Math.round(this.ttlMs / 1000)}s`);
    if (failed > 0) this.log(`${failed} expired event(s) could not be deleted (first: ${firstError}); trying again next sweep`);
    return deleted;
  }

  /** true: deleted; false: gone or renewed meanwhile; a string: why the delete failed. */
  private async expire(t: Tracked): Promise<boolean | string> {
    // A repeat bumps lastTimestamp (the watch then moved the expiry) or someone deleted it meanwhile.
    const current = this.index.get(`${t.namespace}/${t.name}`);
    if (!current || current.expires > this.clock.now()) return false;
    try {
      await this.opts.api.delete<Event>('events', t.name, t.namespace);
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'NotFound') return false;
      return `${t.namespace}/${t.name}: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  private track(ev: Event): void {
    // An event with no readable time gets a full TTL from when it was first seen.
    const expires = expiresAt(ev, this.ttlMs) ?? this.index.get(keyOf(ev))?.expires ?? this.clock.now() + this.ttlMs;
    this.index.set(keyOf(ev), { namespace: ev.metadata.namespace ?? 'default', name: ev.metadata.name, expires });
  }

  /** List, then watch from the list's revision; on a broken watch, list and watch again. */
  private async sync(): Promise<void> {
    const list = await this.opts.api.list<Event>('events');
    this.index.clear();
    for (const ev of list.items) this.track(ev);
    if (this.stopped) return;
    const w = this.opts.api.watch<Event>('events', undefined, { resourceVersion: list.metadata.resourceVersion }, (e) => {
      if (e.type === 'DELETED') this.index.delete(keyOf(e.object));
      else this.track(e.object);
    });
    this.watcher = w;
    w.done.catch((e: unknown) => {
      if (this.stopped) return;
      this.log(`events watch ended (${String(e)}); listing again`);
      this.resyncLater();
    });
  }

  private resyncLater(): void {
    setTimeout(() => {
      if (this.stopped) return;
      this.sync().catch((e: unknown) => { this.log(`listing events failed (${String(e)}); retrying`); this.resyncLater(); });
    }, 1000).unref();
  }
}
