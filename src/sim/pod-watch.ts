import { ApiError } from '../api/errors.js';
import type { WatchEvent } from '../api/meta.js';
import type { Pod } from '../api/pod.js';
import type { ApiClient, Watcher } from '../client/types.js';
import type { Clock } from './clock.js';

/** Who watches and what: one cluster-wide stream, or one per node when the credential allows no more. */
export interface WatchScope { api: ApiClient; fieldSelector?: string }

/**
 * A pod watch that survives broken streams: it resumes after the last resourceVersion it saw, and
 * replays from the start (every pod as ADDED, which the level-triggered runner tolerates) when the
 * server refuses that revision.
 */
export class PodWatch {
  private watcher: Watcher | undefined;
  private lastRv: string | undefined;
  private stopped = false;
  private cancelRetry: (() => void) | undefined;

  constructor(private readonly scope: WatchScope, private readonly clock: Clock, private readonly onEvent: (e: WatchEvent<Pod>) => void, private readonly log: (m: string) => void) {}

  start(): void {
    if (this.stopped) return;
    const opts = { resourceVersion: this.lastRv ?? '0', ...(this.scope.fieldSelector ? { fieldSelector: this.scope.fieldSelector } : {}) };
    const w = this.scope.api.watch<Pod>('pods', undefined, opts, (e) => {
      const rv = e.object?.metadata?.resourceVersion;
      if (rv) this.lastRv = rv;
      this.onEvent(e);
    });
    this.watcher = w;
    w.done.then(() => this.retry(undefined), (e: unknown) => this.retry(e));
  }

  stop(): void {
    this.stopped = true;
    this.cancelRetry?.();
    this.watcher?.stop();
  }

  private retry(e: unknown): void {
    if (this.stopped) return;
    if (e instanceof ApiError && e.code !== 'Unavailable') this.lastRv = undefined;
    this.log(`pod watch ended (${e === undefined ? 'closed' : String(e)}); resuming in 1s`);
    this.cancelRetry = this.clock.after(1000, () => this.start());
  }
}
