/**
 * One resource kept in memory by a list and then a watch from the list's revision (client-go's
 * informer, small): controllers read it instead of the store (the queue controller's passes, the Job
 * controller's reconciles). A broken watch lists again after a second. Objects are shared and
 * read-only; a controller puts the answers of its own writes in at once, so it never acts on its
 * stale view of them.
 */
import type { ApiObject, WatchEvent } from '../api/meta.js';
import type { ApiClient, Watcher } from './types.js';

const keyOf = (o: ApiObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const rv = (o: ApiObject): number => Number(o.metadata.resourceVersion ?? 0);

/** A resource's objects, from a list and a watch. */
export class WatchedObjects<T extends ApiObject> {
  private readonly objects = new Map<string, T>();
  private watcher: Watcher | undefined;
  private stopped = false;
  private synced = false;

  /** onChange runs after each watched change; onListed after each list (the first, and after a broken watch). */
  constructor(private readonly api: ApiClient, private readonly resource: string, private readonly onChange: (e: WatchEvent<T>) => void,
    private readonly log: (m: string) => void, private readonly onListed: (items: T[]) => void = () => undefined) {}

  /** True once the first list is in. */
  get ready(): boolean { return this.synced; }

  /** List, then watch from the list's revision. Resolves once the list is in. */
  async start(): Promise<void> {
    const list = await this.api.list<T>(this.resource);
    if (this.stopped) return;
    this.objects.clear();
    for (const o of list.items) this.objects.set(keyOf(o), o);
    this.synced = true;
    this.onListed(list.items);
    const w = this.api.watch<T>(this.resource, undefined, { resourceVersion: list.metadata.resourceVersion, readOnly: true }, (e) => {
      if (e.type === 'DELETED') this.objects.delete(keyOf(e.object)); else this.remember(e.object);
      this.onChange(e);
    });
    this.watcher = w;
    w.done.catch((e: unknown) => {
      if (this.stopped) return;
      this.log(`watch of ${this.resource} ended (${String(e)}); listing again`);
      setTimeout(() => { if (!this.stopped) this.start().catch((err: unknown) => this.log(`listing ${this.resource} failed: ${String(err)}`)); }, 1000).unref();
    });
  }

  stop(): void {
    this.stopped = true;
    this.watcher?.stop();
  }

  /** Keep o unless a newer copy of the same object is held (a write's answer can arrive after its event). */
  remember(o: T): void {
    const held = this.objects.get(keyOf(o));
    if (held === undefined || held.metadata.uid !== o.metadata.uid || rv(held) <= rv(o)) this.objects.set(keyOf(o), o);
  }

  items(): T[] { return [...this.objects.values()]; }

  /** The held copy of one object. */
  get(namespace: string | undefined, name: string): T | undefined { return this.objects.get(`${namespace ?? ''}/${name}`); }
}
