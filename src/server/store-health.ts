/**
 * Can the store still write? /readyz and /healthz ask (http/health.ts); a full or read-only disk
 * leaves reads working, so only a real write tells. The probe rewrites one key outside /registry/
 * (no kind lists it), at most once per interval however often it is asked, and its answer is
 * cached for that long: a poller cannot turn it into a write load.
 */
import { StoreConflictError, type StateStore } from '../store/types.js';

/** The key the probe writes (kube-apiserver's etcd check reads a "health" key the same way). */
export const storeHealthKey = '/lantern/health/store-probe';

/** What a probe found: undefined when the write went through, else why not. */
export type StoreProbeResult = string | undefined;

export interface StoreHealthOptions {
  /** How long an answer is reused (default 1 s). */
  intervalMs?: number;
  /** How long a write may take before the store counts as failing (default 5 s). */
  timeoutMs?: number;
  now?: () => number;
}

/** A cached write probe of a StateStore. */
export class StoreHealth {
  private last: { at: number; result: StoreProbeResult } | undefined;
  private running: Promise<StoreProbeResult> | undefined;
  private writing: { started: number; done: Promise<StoreProbeResult> } | undefined;
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly store: StateStore, opts: StoreHealthOptions = {}) {
    this.intervalMs = opts.intervalMs ?? 1000;
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.now = opts.now ?? Date.now;
  }

  /** Undefined when the store wrote within the last interval (or does now); else the reason it cannot. */
  check(): Promise<StoreProbeResult> {
    if (this.last !== undefined && this.now() - this.last.at < this.intervalMs) return Promise.resolve(this.last.result);
    this.running ??= this.probe().then((result) => {
      this.last = { at: this.now(), result };
      this.running = undefined;
      return result;
    });
    return this.running;
  }

  private async probe(): Promise<StoreProbeResult> {
    // A write that hangs is waited for, never repeated: a stuck disk gets one probe write, not one a second.
    const write = this.writing ??= { started: this.now(), done: this.write().finally(() => { this.writing = undefined; }) };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<StoreProbeResult>((resolve) => {
      const waited = this.now() - write.started;
      timer = setTimeout(() => resolve(`a write has not finished after ${Math.round((this.now() - write.started) / 1000)}s`), Math.max(0, this.timeoutMs - waited));
      timer.unref();
    });
    try {
      return await Promise.race([write.done, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async write(): Promise<StoreProbeResult> {
    const value = JSON.stringify({ probedAt: new Date(this.now()).toISOString() });
    try {
      const kv = await this.store.get(storeHealthKey);
      if (kv === undefined) await this.store.create(storeHealthKey, value);
      else await this.store.update(storeHealthKey, value, kv.modRevision);
      return undefined;
    } catch (e) {
      // Someone else's write won the race: the store is writing.
      if (e instanceof StoreConflictError) return undefined;
      const text = e instanceof Error ? `${(e as NodeJS.ErrnoException).code ? `${(e as NodeJS.ErrnoException).code}: ` : ''}${e.message}` : String(e);
      return `cannot write: ${text.split('\n')[0]!.slice(0, 200)}`;
    }
  }
}
