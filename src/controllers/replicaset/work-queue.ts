/** A set of dirty keys reconciled one at a time, plus watches that restart when their stream breaks. */
import type { ApiObject, WatchEvent } from '../../api/meta.js';
import type { ApiClient, Watcher } from '../../client/types.js';
import { controllerOf } from './pod-state.js';

/** Keys ("ns/name") waiting for reconcile; a key queued twice before its turn runs once. */
export class WorkQueue {
  private readonly dirty = new Set<string>();
  private draining: Promise<void> | undefined;
  private stopped = false;
  private readonly watchers: Watcher[] = [];
  private resync: NodeJS.Timeout | undefined;

  constructor(private readonly api: ApiClient, private readonly reconcile: (key: string) => Promise<void>, private readonly log: (msg: string) => void) {}

  /** Queue a key; reconciles start at once unless a drain is running, which will pick it up. */
  add(key: string): void {
    if (this.stopped) return;
    this.dirty.add(key);
    this.draining ??= this.drain().finally(() => { this.draining = undefined; });
  }

  /** Resolves once every queued key has been reconciled (tests wait on it). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Watch a resource in every namespace; a broken stream is started again after a second. */
  watch<T extends ApiObject>(resource: string, onEvent: (e: WatchEvent<T>) => void): void {
    // Callbacks only queue keys: read-only, so the server decodes each change once for all of them.
    const w = this.api.watch<T>(resource, undefined, { readOnly: true }, onEvent);
    this.watchers.push(w);
    w.done.catch((e: unknown) => {
      if (this.stopped) return;
      this.log(`${resource} watch ended (${String(e)}); starting again`);
      setTimeout(() => { if (!this.stopped) this.watch(resource, onEvent); }, 1000).unref();
    });
  }

  /**
   * The watches of a controller of `owners` over the `children` they control (Deployments over
   * ReplicaSets, ReplicaSets over pods): a change of an owner, or of a child whose controller is of
   * `owners.kind`, queues the owner; a deleted owner goes to `owners.onDeleted` (the cascade); and
   * every owner seen is queued again each resyncMs, for changes that only time brings.
   */
  watchOwners<O extends ApiObject>(owners: { resource: string; kind: string; onDeleted: (o: O) => Promise<void> }, children: string, resyncMs: number): void {
    const known = new Set<string>();
    this.watch<O>(owners.resource, (e) => {
      const key = keyOf(e.object);
      if (e.type === 'DELETED') { known.delete(key); void owners.onDeleted(e.object).catch((err: unknown) => this.log(`${key}: ${String(err)}`)); return; }
      known.add(key);
      this.add(key);
    });
    this.watch(children, (e) => {
      const owner = controllerOf(e.object);
      if (owner?.kind === owners.kind) this.add(`${e.object.metadata.namespace ?? 'default'}/${owner.name}`);
    });
    this.resync = setInterval(() => { for (const k of known) this.add(k); }, resyncMs);
    this.resync.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.resync) clearInterval(this.resync);
    for (const w of this.watchers) w.stop();
  }

  private async drain(): Promise<void> {
    for (let key = this.dirty.values().next().value; key !== undefined && !this.stopped; key = this.dirty.values().next().value) {
      this.dirty.delete(key);
      await this.reconcile(key).catch((e: unknown) => this.log(`${key}: ${e instanceof Error ? e.message : String(e)}`));
    }
  }
}

/** "ns/name" of an object. */
export const keyOf = (o: { metadata: { name: string; namespace?: string } }): string => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;

/** Split "ns/name". */
export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
