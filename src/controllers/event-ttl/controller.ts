import type { ApiObject } from '../../api/meta.js';
import type { Event } from '../../api/schema/event.js';
import type { TimerClock } from '../../api/clock.js';
import { Informer, every, isApiError, keyOf, timerClock, type ControllerInputs } from '../../client/kit/index.js';
import { expiresAt } from './expiry.js';

/** Settings of the event TTL controller (Kubernetes' kube-apiserver --event-ttl). */
export interface EventTtlOptions extends Omit<ControllerInputs, 'informers'> {
  /** How long an event lives after its lastTimestamp (default 1 h). */
  ttlMs?: number;
  /** How often expired events are looked for (default 1 min). */
  intervalMs?: number;
  /** Deletes in flight at once; the controller yields to the event loop between batches (default 100). */
  batchSize?: number;
}

/** All the controller keeps of an event: its name and when it expires. */
interface Tracked extends ApiObject { expires: number }

const yieldTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Deletes events whose lastTimestamp is older than the TTL. Its informer keeps, from a list and then a
 * watch, only each event's name and expiry time, so a sweep reads no store: it deletes the due events
 * through the API in bounded batches and yields between them, so 100,000 expired events do not stall
 * the server.
 */
export class EventTtlController {
  private readonly clock: TimerClock;
  private readonly ttlMs: number;
  private readonly batchSize: number;
  private readonly log: (msg: string) => void;
  /** Not shared: it keeps a small shape of each event (transform), not the event. */
  private readonly events: Informer<Tracked>;
  private stopTimer: (() => void) | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(private readonly opts: EventTtlOptions) {
    this.clock = timerClock(opts.clock);
    this.ttlMs = opts.ttlMs ?? 3_600_000;
    this.batchSize = Math.max(1, opts.batchSize ?? 100);
    this.log = opts.log ?? ((m) => console.error(`event-ttl: ${m}`));
    this.events = new Informer<Tracked>({ api: opts.api, resource: 'events', clock: this.clock, log: this.log, transform: (o) => this.track(o) });
  }

  /** List and watch events, sweep once, then every intervalMs. Resolves once the first list is in. */
  async start(): Promise<void> {
    await this.events.start();
    if (this.stopped) return;
    this.stopTimer = every(this.clock, this.opts.intervalMs ?? 60_000, () => { if (!this.running) this.sweepInBackground(); });
    this.sweepInBackground();
  }

  stop(): void {
    this.stopped = true;
    this.stopTimer?.();
    this.events.stop();
  }

  /** How many events the controller knows of (tests, logs). */
  get tracked(): number { return this.events.size; }

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
    for (const t of this.events.list()) if (t.expires <= now) due.push(t);
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
    const current = this.events.get(keyOf(t));
    if (!current || current.expires > this.clock.now()) return false;
    try {
      await this.opts.api.delete<Event>('events', t.metadata.name, t.metadata.namespace);
      return true;
    } catch (e) {
      if (isApiError(e, 'NotFound')) return false;
      return `${keyOf(t)}: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  /**
   * What the informer keeps of an event, and when it expires. The entry goes only with the watch's
   * DELETED, never after our own delete: the recorder may already have made the same name again.
   */
  private track(o: Tracked): Tracked {
    const ev = o as unknown as Event; // the informer hands in the event as the API sent it
    const { name, namespace, uid, resourceVersion } = ev.metadata;
    // An event with no readable time gets a full TTL from when it was first seen.
    const expires = expiresAt(ev, this.ttlMs) ?? this.events.get(keyOf(ev))?.expires ?? this.clock.now() + this.ttlMs;
    return { apiVersion: ev.apiVersion, kind: ev.kind, metadata: { name, namespace, uid, resourceVersion }, expires };
  }
}
