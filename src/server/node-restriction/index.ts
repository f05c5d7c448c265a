/**
 * Node restriction: the admission every write by a node identity (system:node:NAME) passes after
 * the rule table (http/authz.ts) allowed it, like Kubernetes' NodeRestriction and EventRateLimit.
 * It sits between the authorized client and the ApiService, so the ApiService stays generic.
 */
import { ApiError } from '../../api/errors.js';
import type { ApiObject, ObjectList, WatchEvent } from '../../api/meta.js';
import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import type { Event } from '../../api/schema/event.js';
import type { ApiClient, DeleteOptions, ListOptions, WatchOptions, Watcher, WriteOptions } from '../../client/types.js';
import { defaultProtectedLabelPrefixes } from './protected-labels.js';
import { admitNodeCreate, admitNodeStatus, admitNodeUpdate } from './node-writes.js';
import { admitPodStatus } from './pod-status.js';
import { admitNodeEvent } from './events.js';
import { TokenBuckets } from './token-bucket.js';
// CSI volumes by the node's drivers, others by persistent-volumes.ts (pinned to the node).
import { admitNodePersistentVolume as admitNodeVolume } from './csi-volumes.js';
import type { PersistentVolume } from '../../api/schema/storage.js';

/** Settings (lanternd server flags: --node-protected-label-prefixes, --node-event-qps, --node-event-burst). */
export interface NodeRestrictionOptions {
  /** Label prefixes reserved for admins besides the built-in ones (e.g. "example.com/"). */
  protectedLabelPrefixes?: readonly string[];
  /** Events a node may write per second, sustained (default 20; 0 turns the limit off). */
  eventQps?: number;
  /** Events a node may write at once before the rate applies (default 100). */
  eventBurst?: number;
  /** The clock the event buckets refill by (tests). */
  now?: () => number;
}

/** Kubernetes' EventRateLimit example: 20 events a second per node, 100 at once. */
export const defaultEventQps = 20;
/** See defaultEventQps. */
export const defaultEventBurst = 100;

/** One server's node restriction: its settings and the event buckets of every node. */
export class NodeRestriction {
  readonly prefixes: readonly string[];
  readonly eventQps: number;
  readonly eventBurst: number;
  private readonly events: TokenBuckets | undefined;

  constructor(opts: NodeRestrictionOptions = {}) {
    this.prefixes = [...defaultProtectedLabelPrefixes, ...(opts.protectedLabelPrefixes ?? [])];
    this.eventQps = opts.eventQps ?? defaultEventQps;
    this.eventBurst = opts.eventBurst ?? defaultEventBurst;
    this.events = this.eventQps > 0 ? new TokenBuckets(this.eventQps, Math.max(1, this.eventBurst), opts.now) : undefined;
  }

  /** Take one of the node's event tokens, or throw TooManyRequests (429 with Retry-After). */
  private takeEventToken(node: string): void {
    const wait = this.events?.take(node);
    if (wait === undefined) return;
    throw new ApiError('TooManyRequests', `node "${node}" is recording events faster than ${this.eventQps}/s (burst ${this.eventBurst}): retry after ${wait}s`,
      { kind: 'Event', retryAfterSeconds: wait });
  }

  /** The API as node `node` may write it: reads pass through, writes are admitted first. */
  client(api: ApiClient, node: string): ApiClient {
    const prefixes = this.prefixes;
    const takeEventToken = (n: string): void => this.takeEventToken(n);
    return {
      async create<T extends ApiObject>(resource: string, obj: T, opts?: WriteOptions): Promise<T> {
        if (resource === 'nodes') return api.create(resource, admitNodeCreate(node, obj, prefixes) as unknown as T, opts);
        if (resource === 'events') { takeEventToken(node); await admitNodeEvent(api, node, obj); }
        if (resource === 'persistentvolumes') await admitNodeVolume(api, node, 'create', undefined, obj as unknown as PersistentVolume);
        return api.create(resource, obj, opts);
      },
      async update<T extends ApiObject>(resource: string, obj: T, opts?: WriteOptions): Promise<T> {
        const { name, namespace } = obj.metadata ?? {};
        if (resource === 'nodes') return api.update(resource, admitNodeUpdate(node, obj, await api.get<Node>('nodes', name), prefixes) as unknown as T, opts);
        if (resource === 'events') { takeEventToken(node); await admitNodeEvent(api, node, obj, await api.get<Event>('events', name, namespace)); }
        if (resource === 'persistentvolumes') await admitNodeVolume(api, node, 'update', name, obj as unknown as PersistentVolume);
        return api.update(resource, obj, opts);
      },
      async updateStatus<T extends ApiObject>(resource: string, obj: T): Promise<T> {
        if (resource === 'nodes') admitNodeStatus(node, obj, await api.get<Node>('nodes', obj.metadata?.name));
        else if (resource === 'pods') await admitPodStatus(api, node, obj as unknown as Pod);
        else if (resource === 'persistentvolumes') await admitNodeVolume(api, node, 'update', obj.metadata?.name, obj as unknown as PersistentVolume);
        return api.updateStatus(resource, obj);
      },
      get<T extends ApiObject>(resource: string, name: string, namespace?: string): Promise<T> { return api.get(resource, name, namespace); },
      list<T extends ApiObject>(resource: string, namespace?: string, opts?: ListOptions): Promise<ObjectList<T>> { return api.list(resource, namespace, opts); },
      async delete<T extends ApiObject>(resource: string, name: string, namespace?: string, opts?: DeleteOptions): Promise<T> {
        if (resource === 'persistentvolumes') await admitNodeVolume(api, node, 'delete', name);
        return api.delete(resource, name, namespace, opts);
      },
      watch<T extends ApiObject>(resource: string, namespace: string | undefined, opts: WatchOptions, onEvent: (e: WatchEvent<T>) => void): Watcher { return api.watch(resource, namespace, opts, onEvent); },
      bind(namespace: string, podName: string, nodeName: string): Promise<void> { return api.bind(namespace, podName, nodeName); },
    };
  }
}

// A server built without one (tests, embedders) still restricts its nodes: one default restriction
// per API, so a node's event bucket lasts across its requests.
const fallbacks = new WeakMap<ApiClient, NodeRestriction>();

/** The API as node `node` may write it, through `restriction` (lanternd server's flags) or this API's default one. */
export function nodeRestricted(api: ApiClient, node: string, restriction?: NodeRestriction): ApiClient {
  let r = restriction ?? fallbacks.get(api);
  if (r === undefined) { r = new NodeRestriction(); fallbacks.set(api, r); }
  return r.client(api, node);
}
