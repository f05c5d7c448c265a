import { randomUUID } from 'node:crypto';
import type { ApiObject, ObjectList, WatchEvent } from '../api/meta.js';
import { ApiError, alreadyExists, conflict, invalid, notFound } from '../api/errors.js';
import { kindRules, type KindInfo } from '../api/kinds/rules.js';
import { matchesFields, matchesRequirements, parseFieldSelector, parseLabelSelector } from '../api/selectors.js';
import type { ApiClient, DeleteOptions, ListOptions, WatchOptions, Watcher, WriteOptions } from '../client/types.js';
import { StoreCompactedError, StoreConflictError, type KeyValue, type StateStore, type StoreEvent } from '../store/types.js';
import type { Pod } from '../api/pod.js';
import { admit, admitDelete } from './priority-admission.js';
import type { ValueTransformer } from './encryption/value-transformer.js';
import type { RegistryHook, Reservation } from './registry-hooks.js';
import { ServiceAllocator } from './services/service-allocator.js';
import { defaultServiceRanges, type ServiceRanges } from './services/ranges.js';
import type { Service } from '../api/schema/service.js';
import { NetworkGuard, type ReservedRange } from './networks/network-guard.js';
import type { Network } from '../api/schema/network.js';
import { finalizersDone, waitsForFinalizers } from './finalizers.js';
import { admitNamespace, admitNamespaceDelete } from './namespace-lifecycle.js';
import { TenancyAdmission, type TenancyOptions } from './admission/tenancy.js';

const now = (): string => new Date().toISOString();

/** Objects decoded once per stored change for the read-only watchers of it (they go with the change). */
const sharedDecodes = new WeakMap<KeyValue, ApiObject>();

/** How ApiService stores values. */
export interface ApiServiceOptions {
  /** resource -> what its values go through at the storage boundary (secrets encryption at rest). */
  transformers?: ReadonlyMap<string, ValueTransformer>;
  /** Where Services get cluster IPs and node ports (default 10.43.0.0/16, 30000-32767). */
  serviceRanges?: ServiceRanges;
  /** Ranges the server uses itself (--cluster-cidr, --service-cidr): no Network's subnet may overlap them. */
  reservedRanges?: readonly ReservedRange[];
  /** NamespaceLifecycle admission (namespace-lifecycle.ts): creates need an existing, live namespace. lanternd turns it on. */
  namespaceLifecycle?: boolean;
  /** LimitRanger and ResourceQuota admission (always on), and Pod Security admission's defaults (off unless given; lanternd gives them). */
  tenancy?: TenancyOptions;
}

/**
 * The API's local implementation: validation, defaults and optimistic concurrency over the store.
 * The HTTP layer is a thin adapter over it, and in-process components use it as their ApiClient.
 */
export class ApiService implements ApiClient {
  private readonly transformers: ReadonlyMap<string, ValueTransformer>;
  /** resource -> what allocates for its objects (services: cluster IPs and node ports). */
  private readonly hooks: ReadonlyMap<string, RegistryHook>;
  private readonly namespaceLifecycle: boolean;
  private readonly tenancy: TenancyAdmission;

  constructor(private readonly store: StateStore, opts: ApiServiceOptions = {}) {
    this.transformers = opts.transformers ?? new Map();
    this.namespaceLifecycle = opts.namespaceLifecycle ?? false;
    this.tenancy = new TenancyAdmission(this, opts.tenancy);
    const services = new ServiceAllocator(opts.serviceRanges ?? defaultServiceRanges, async () => (await this.list<Service>('services')).items);
    const networks = new NetworkGuard(async () => (await this.list<Pod>('pods')).items, async () => (await this.list<Network>('networks')).items, opts.reservedRanges);
    this.hooks = new Map<string, RegistryHook>([['services', services], ['networks', networks]]);
  }

  private kind(resource: string): KindInfo {
    const k = kindRules.get(resource);
    if (!k) throw new ApiError('NotFound', `the server doesn't have a resource type "${resource}"`);
    return k;
  }

  private key(k: KindInfo, name: string, namespace?: string): string {
    return k.namespaced ? `/registry/${k.resource}/${namespace ?? 'default'}/${name}` : `/registry/${k.resource}/${name}`;
  }

  private prefix(k: KindInfo, namespace?: string): string {
    return k.namespaced && namespace !== undefined ? `/registry/${k.resource}/${namespace}/` : `/registry/${k.resource}/`;
  }

  /** The transformer for a store key's resource (/registry/RESOURCE/...), if one is configured. */
  private transformerOf(storeKey: string): ValueTransformer | undefined {
    if (this.transformers.size === 0) return undefined;
    return this.transformers.get(storeKey.slice('/registry/'.length, storeKey.indexOf('/', '/registry/'.length)));
  }

  /** Every read of a stored value comes here (get, list, watch, a write's or delete's answer). */
  private decode<T extends ApiObject>(kv: KeyValue): T {
    const t = this.transformerOf(kv.key);
    return this.parseAt<T>(t ? t.fromStorage(kv.value, kv.key) : kv.value, kv.modRevision);
  }

  /** An object from its JSON text, at a revision. */
  private parseAt<T extends ApiObject>(json: string, revision: number): T {
    const obj = JSON.parse(json) as T;
    obj.metadata.resourceVersion = String(revision);
    return obj;
  }

  /** decode, shared by every read-only watcher of one stored change. */
  private decodeShared<T extends ApiObject>(kv: KeyValue): T {
    let obj = sharedDecodes.get(kv);
    if (obj === undefined) { obj = this.decode(kv); sharedDecodes.set(kv, obj); }
    return obj as T;
  }

  /**
   * The object's JSON, and what is stored for it (the JSON through the key's transformer). A write
   * answers with the object parsed from `json`, so an encrypted value is not decrypted again.
   */
  private encode(obj: ApiObject, storeKey: string): { json: string; stored: string } {
    const { resourceVersion: _rv, ...meta } = obj.metadata;
    const json = JSON.stringify({ ...obj, metadata: meta });
    const t = this.transformerOf(storeKey);
    return { json, stored: t ? t.toStorage(json, storeKey) : json };
  }

  /** Store an encoded object with write (a create or an update) and answer it at its new revision. */
  private async write<T extends ApiObject>(encoded: { json: string; stored: string }, write: (stored: string) => Promise<KeyValue>): Promise<T> {
    const kv = await write(encoded.stored);
    return this.parseAt<T>(encoded.json, kv.modRevision);
  }

  private check(k: KindInfo, obj: unknown): ApiObject {
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new ApiError('BadRequest', 'request body must be a JSON or YAML object');
    const o = obj as Partial<ApiObject>;
    if (o.kind !== undefined && o.kind !== k.kind) throw new ApiError('BadRequest', `kind ${JSON.stringify(o.kind)} does not match the resource "${k.resource}" (expected kind ${k.kind})`);
    const causes = k.validate(obj);
    const name = o.metadata?.name ?? '';
    if (causes.length > 0) throw invalid(k.kind, String(name), causes);
    return obj as ApiObject;
  }

  async create<T extends ApiObject>(resource: string, input: T, opts: WriteOptions = {}): Promise<T> {
    const k = this.kind(resource);
    const obj = structuredClone(input) as ApiObject;
    obj.apiVersion ??= k.apiVersion;
    obj.kind ??= k.kind;
    if (obj.metadata && !obj.metadata.name && obj.metadata.generateName) {
      obj.metadata.name = obj.metadata.generateName + randomUUID().slice(0, 5);
    }
    this.check(k, obj);
    await admit(this, obj, 'create');
    if (this.namespaceLifecycle && k.namespaced) await admitNamespace(this, obj);
    k.applyDefaults(obj);
    const meta = obj.metadata;
    if (k.namespaced) meta.namespace ??= 'default'; else delete meta.namespace;
    meta.uid = randomUUID();
    meta.creationTimestamp = now();
    meta.generation = 1;
    delete meta.deletionTimestamp;
    delete meta.resourceVersion;
    if (k.kind === 'Pod') (obj as Pod).status = { phase: 'Pending', ...(obj as Pod).status };
    await this.tenancy.create(k, obj, opts.dryRun === true);
    const hook = this.hooks.get(k.resource);
    if (hook) {
      await hook.ready();
      // The name first: an object of that name holds what this one would ask for (its cluster IP, say),
      // and "already exists" is the answer that helps.
      if (await this.store.get(this.key(k, meta.name, meta.namespace))) throw alreadyExists(k.kind, meta.name);
    }
    const reserved = hook?.create(obj);
    if (opts.dryRun) { reserved?.abort(); return obj as T; }
    try {
      const key = this.key(k, meta.name, meta.namespace);
      const created = await this.write<T>(this.encode(obj, key), (stored) => this.store.create(key, stored));
      reserved?.commit();
      return created;
    } catch (e) {
      reserved?.abort();
      if (e instanceof StoreConflictError) throw alreadyExists(k.kind, meta.name);
      throw e;
    }
  }

  async get<T extends ApiObject>(resource: string, name: string, namespace?: string): Promise<T> {
    const k = this.kind(resource);
    const kv = await this.store.get(this.key(k, name, namespace));
    if (!kv) throw notFound(k.kind, name);
    return this.decode<T>(kv);
  }

  async list<T extends ApiObject>(resource: string, namespace?: string, opts: ListOptions = {}): Promise<ObjectList<T>> {
    const k = this.kind(resource);
    const matches = this.matcher(k, opts);
    const { items, revision } = await this.store.list(this.prefix(k, namespace));
    return {
      apiVersion: k.apiVersion,
      kind: `${k.kind}List`,
      metadata: { resourceVersion: String(revision) },
      items: items.map((kv) => this.decode<T>(kv)).filter(matches),
    };
  }

  private matcher(k: KindInfo, opts: ListOptions): (o: ApiObject) => boolean {
    const labels = parseLabelSelector(opts.labelSelector ?? '');
    const fields = parseFieldSelector(opts.fieldSelector ?? '');
    const allowed = new Set(Object.keys(k.selectableFields(sampleFor(k))));
    for (const f of fields) {
      if (!allowed.has(f.field)) throw new ApiError('BadRequest', `field selector "${f.field}" is not supported for ${k.resource}; supported: ${[...allowed].join(', ')}`);
    }
    return (o) => matchesRequirements(labels, o.metadata.labels) && matchesFields(fields, k.selectableFields(o));
  }

  /** Read-modify-write of one stored object at its revision. */
  private async replace<T extends ApiObject>(k: KindInfo, name: string, namespace: string | undefined, expected: string | undefined,
    change: (stored: ApiObject) => ApiObject, dryRun = false): Promise<T> {
    const key = this.key(k, name, namespace);
    const kv = await this.store.get(key);
    if (!kv) throw notFound(k.kind, name);
    if (expected !== undefined && expected !== '' && expected !== String(kv.modRevision)) throw conflict(k.kind, name);
    const next = change(this.decode(kv));
    if (dryRun) return next as T;
    try {
      return await this.write<T>(this.encode(next, key), (stored) => this.store.update(key, stored, kv.modRevision));
    } catch (e) {
      if (e instanceof StoreConflictError) throw e.reason === 'missing' ? notFound(k.kind, name) : conflict(k.kind, name);
      throw e;
    }
  }

  async update<T extends ApiObject>(resource: string, input: T, opts: WriteOptions = {}): Promise<T> {
    const k = this.kind(resource);
    const obj = structuredClone(input) as ApiObject;
    obj.apiVersion ??= k.apiVersion;
    obj.kind ??= k.kind;
    this.check(k, obj);
    await admit(this, obj, 'update');
    await this.tenancy.update(k, obj, opts.dryRun === true);
    k.applyDefaults(obj);
    const { name, namespace, resourceVersion } = obj.metadata;
    const hook = this.hooks.get(k.resource);
    if (hook) await hook.ready();
    let reserved: Reservation | undefined;
    const updated = this.replace<T>(k, name, k.namespaced ? namespace ?? 'default' : undefined, resourceVersion, (stored) => {
      const causes = k.validateUpdate?.(stored, obj) ?? [];
      if (causes.length > 0) throw invalid(k.kind, name, causes);
      reserved = hook?.update(stored, obj);
      const specChanged = JSON.stringify((stored as { spec?: unknown }).spec) !== JSON.stringify((obj as { spec?: unknown }).spec);
      const meta = {
        ...obj.metadata,
        namespace: stored.metadata.namespace,
        uid: stored.metadata.uid,
        creationTimestamp: stored.metadata.creationTimestamp,
        deletionTimestamp: stored.metadata.deletionTimestamp,
        deletionGracePeriodSeconds: stored.metadata.deletionGracePeriodSeconds,
        generation: (stored.metadata.generation ?? 1) + (specChanged ? 1 : 0),
      };
      if (meta.namespace === undefined) delete meta.namespace;
      for (const f of ['deletionTimestamp', 'deletionGracePeriodSeconds'] as const) if (meta[f] === undefined) delete meta[f];
      const next: ApiObject & { status?: unknown } = { ...obj, metadata: meta };
      if (k.subresources.status) next.status = (stored as { status?: unknown }).status;
      return next;
    }, opts.dryRun);
    try {
      const out = await updated;
      if (opts.dryRun) reserved?.abort(); else reserved?.commit();
      if (!opts.dryRun && finalizersDone(out)) return await this.delete<T>(resource, name, out.metadata.namespace).catch((e: unknown) => { if (e instanceof ApiError && e.code === 'NotFound') return out; throw e; });
      return out;
    } catch (e) { reserved?.abort(); throw e; }
  }

  async updateStatus<T extends ApiObject>(resource: string, input: T): Promise<T> {
    const k = this.kind(resource);
    const status = (input as { status?: unknown }).status;
    const { name, namespace, resourceVersion } = input.metadata;
    return this.replace<T>(k, name, namespace, resourceVersion, (stored) => {
      const next = { ...stored, status } as ApiObject;
      const causes = k.validate(next);
      if (causes.length > 0) throw invalid(k.kind, name, causes);
      return next;
    });
  }

  async bind(namespace: string, podName: string, nodeName: string): Promise<void> {
    const k = this.kind('pods');
    await this.replace(k, podName, namespace, undefined, (stored) => {
      const pod = stored as Pod;
      if (pod.spec.nodeName) throw new ApiError('Conflict', `pod "${podName}" is already assigned to node "${pod.spec.nodeName}"`);
      pod.spec.nodeName = nodeName;
      const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
      conditions.push({ type: 'PodScheduled', status: 'True', lastTransitionTime: now() });
      pod.status = { ...pod.status, conditions };
      return pod;
    });
  }

  async delete<T extends ApiObject>(resource: string, name: string, namespace?: string, opts: DeleteOptions = {}): Promise<T> {
    const k = this.kind(resource);
    admitDelete(k.kind, name);
    admitNamespaceDelete(k.kind, name);
    const key = this.key(k, name, namespace);
    for (;;) {
      const kv = await this.store.get(key);
      if (!kv) throw notFound(k.kind, name);
      const obj = this.decode<T>(kv);
      const grace = this.gracefulDeletion(obj, opts);
      try {
        if (grace === undefined && waitsForFinalizers(obj)) {
          if (obj.metadata.deletionTimestamp !== undefined) return obj; // already marked: the finalizers decide
          obj.metadata.deletionTimestamp = now();
          return await this.write<T>(this.encode(obj, key), (stored) => this.store.update(key, stored, kv.modRevision));
        }
        if (grace === undefined) {
          await this.hooks.get(k.resource)?.beforeDelete?.(obj);
          const gone = this.decode<T>(await this.store.delete(key, kv.modRevision));
          this.hooks.get(k.resource)?.deleted(gone);
          return gone;
        }
        const deadline = Date.now() + grace * 1000;
        const current = obj.metadata.deletionTimestamp ? Date.parse(obj.metadata.deletionTimestamp) : Infinity;
        // A repeated delete may shorten the deadline, never push it back.
        if (deadline < current) obj.metadata.deletionTimestamp = new Date(deadline).toISOString();
        obj.metadata.deletionGracePeriodSeconds = grace;
        return await this.write<T>(this.encode(obj, key), (stored) => this.store.update(key, stored, kv.modRevision));
      } catch (e) {
        if (e instanceof StoreConflictError) continue; // changed under us: decide again on the new state
        throw e;
      }
    }
  }

  /**
   * Pods running on a node are deleted in two steps, as in Kubernetes: the API marks them with a
   * deletionTimestamp, the node's agent stops the containers and then deletes the object for good.
   * Returns the grace period for the first step, or undefined to delete at once.
   */
  private gracefulDeletion(obj: ApiObject, opts: DeleteOptions): number | undefined {
    if (obj.kind !== 'Pod') return undefined;
    const pod = obj as Pod;
    if (!pod.spec.nodeName) return undefined;
    // As Kubernetes: a pod that has finished has nothing left to stop, so it goes at once.
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return undefined;
    if (pod.metadata.deletionTimestamp !== undefined) {
      // Already terminating: a second delete with a shorter grace shortens it; grace 0 removes it.
      if (opts.gracePeriodSeconds === 0) return undefined;
      return Math.min(opts.gracePeriodSeconds ?? Infinity, pod.metadata.deletionGracePeriodSeconds ?? 30);
    }
    return opts.gracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
  }

  watch<T extends ApiObject>(resource: string, namespace: string | undefined, opts: WatchOptions, onEvent: (e: WatchEvent<T>) => void): Watcher {
    const k = this.kind(resource);
    const matches = this.matcher(k, opts);
    let stopped = false;
    let cancel = (): void => {};
    let settle: { resolve: () => void; reject: (e: unknown) => void } | undefined;
    const done = new Promise<void>((resolve, reject) => { settle = { resolve, reject }; });
    const emit = (e: WatchEvent<T>): void => { if (!stopped) onEvent(e); };
    const fail = (e: unknown): void => { if (!stopped) { stopped = true; cancel(); settle?.reject(e); } };
    const start = async (): Promise<void> => {
      let from = Number(opts.resourceVersion ?? '0');
      if (!Number.isInteger(from) || from < 0) throw new ApiError('BadRequest', `invalid resourceVersion ${JSON.stringify(opts.resourceVersion)}: expected a non-negative integer`);
      if (from === 0) {
        const listed = await this.store.list(this.prefix(k, namespace));
        for (const kv of listed.items) {
          const obj = this.decode<T>(kv);
          if (matches(obj)) emit({ type: 'ADDED', object: obj });
        }
        from = listed.revision;
      }
      if (stopped) return;
      try {
        const everything = !opts.labelSelector && !opts.fieldSelector;
        const current = opts.readOnly ? (kv: KeyValue) => this.decodeShared<T>(kv) : (kv: KeyValue) => this.decode<T>(kv);
        const toEvent = (ev: StoreEvent): WatchEvent<T> | undefined => {
          if (everything && ev.type !== 'delete') {
            // No selector: no need to decode the previous value to know whether it matched.
            return { type: ev.prev ? 'MODIFIED' : 'ADDED', object: current(ev.kv) };
          }
          const prev = ev.prev ? this.decode<T>(ev.prev) : undefined;
          if (ev.type === 'delete') {
            if (prev && matches(prev)) { prev.metadata.resourceVersion = String(ev.revision); return { type: 'DELETED', object: prev }; }
            return undefined;
          }
          const obj = current(ev.kv);
          const now = matches(obj);
          const before = prev !== undefined && matches(prev);
          if (now) return { type: before ? 'MODIFIED' : 'ADDED', object: obj };
          return before ? { type: 'DELETED', object: obj } : undefined;
        };
        const w = this.store.watch(this.prefix(k, namespace), from, (ev) => {
          let e: WatchEvent<T> | undefined;
          // A value that cannot be decoded (an encrypted one whose key is gone) ends this watch with
          // the error, rather than being skipped in silence by the store.
          try { e = toEvent(ev); } catch (err) { fail(err); return; }
          if (e) emit(e);
        }, (err) => fail(err instanceof StoreCompactedError ? new ApiError('Gone', `too old resource version: ${from} (${err.compacted})`) : err));
        cancel = () => w.cancel();
      } catch (e) {
        if (e instanceof StoreCompactedError) throw new ApiError('Gone', `too old resource version: ${from} (${e.compacted})`);
        throw e;
      }
    };
    start().catch(fail);
    return {
      stop: () => { if (!stopped) { stopped = true; cancel(); settle?.resolve(); } },
      done,
    };
  }
}

/** An empty object of a kind, to learn which fields it exposes for selection. */
function sampleFor(k: KindInfo): ApiObject {
  return { apiVersion: k.apiVersion, kind: k.kind, metadata: { name: '' }, spec: { containers: [] } } as unknown as ApiObject;
}
