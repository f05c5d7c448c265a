/** The informer's store: objects by key, plus named indexes (client-go's ThreadSafeStore with Indexers). */
import type { ApiObject } from '../../api/meta.js';
import { keyOf } from './keys.js';
import { controllerOf } from './owners.js';

/** The index values of one object (none: not in the index). */
export type IndexFn<T> = (obj: T) => string[];

/** Objects by namespace. */
export const indexByNamespace: IndexFn<ApiObject> = (o) => [o.metadata.namespace ?? ''];
/** Objects by the value of one label. */
export const indexByLabel = (label: string): IndexFn<ApiObject> => (o) => {
  const v = o.metadata.labels?.[label];
  return v === undefined ? [] : [v];
};
/** Objects by the uid of their controller (children by owner). */
export const indexByControllerUid: IndexFn<ApiObject> = (o) => {
  const uid = controllerOf(o)?.uid;
  return uid ? [uid] : [];
};

const rv = (o: ApiObject): number => Number(o.metadata.resourceVersion ?? 0);

/** Objects by key with indexes; the objects are shared and never changed here. */
export class IndexedCache<T extends ApiObject> {
  private readonly objects = new Map<string, T>();
  private readonly indexers = new Map<string, IndexFn<T>>();
  private readonly indexes = new Map<string, Map<string, Set<string>>>();

  /** Add an index; objects already held are indexed at once. A name added twice keeps the first. */
  addIndex(name: string, fn: IndexFn<T>): void {
    if (this.indexers.has(name)) return;
    this.indexers.set(name, fn);
    this.indexes.set(name, new Map());
    for (const [key, o] of this.objects) this.index(name, fn, key, o, 1);
  }

  get size(): number { return this.objects.size; }
  get(key: string): T | undefined { return this.objects.get(key); }
  keys(): string[] { return [...this.objects.keys()]; }
  values(): IterableIterator<T> { return this.objects.values(); }

  /** The objects whose index `name` has value. */
  byIndex(name: string, value: string): T[] {
    const index = this.indexes.get(name);
    if (!index) throw new Error(`no index named ${name}: add it with addIndex first`);
    const out: T[] = [];
    for (const key of index.get(value) ?? []) { const o = this.objects.get(key); if (o) out.push(o); }
    return out;
  }

  /** Put o in; returns the copy held before (undefined: new). */
  set(o: T): T | undefined {
    const key = keyOf(o);
    const old = this.objects.get(key);
    if (old) this.unindex(key, old);
    this.objects.set(key, o);
    for (const [name, fn] of this.indexers) this.index(name, fn, key, o, 1);
    return old;
  }

  /** Keep o unless a newer copy of the same object is held (a write's answer can arrive after its event). */
  setIfNewer(o: T): void {
    const held = this.objects.get(keyOf(o));
    if (held === undefined || held.metadata.uid !== o.metadata.uid || rv(held) <= rv(o)) this.set(o);
  }

  /** Take the object with this key out; returns what was held. */
  delete(key: string): T | undefined {
    const old = this.objects.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.objects.delete(key);
    return old;
  }

  private unindex(key: string, o: T): void {
    for (const [name, fn] of this.indexers) this.index(name, fn, key, o, -1);
  }

  private index(name: string, fn: IndexFn<T>, key: string, o: T, sign: 1 | -1): void {
    const index = this.indexes.get(name)!;
    for (const v of fn(o)) {
      let keys = index.get(v);
      if (sign > 0) {
        if (!keys) { keys = new Set(); index.set(v, keys); }
        keys.add(key);
      } else if (keys) {
        keys.delete(key);
        if (keys.size === 0) index.delete(v);
      }
    }
  }
}
