import type { ApiObject, ObjectList, WatchEvent } from '../api/meta.js';

/** Selectors for list and watch calls, in Kubernetes' text syntax. */
export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

/** A watch starts after resourceVersion; absent or "0" first replays every current object as ADDED. */
export interface WatchOptions extends ListOptions {
  resourceVersion?: string;
  /**
   * The callback only reads the objects it gets, so one decoded object may be handed to every such
   * watcher of the same change (a server-side saving; clients across HTTP ignore it).
   */
  readOnly?: boolean;
}

export interface DeleteOptions {
  /** Seconds the containers get between SIGTERM and SIGKILL; 0 kills at once. */
  gracePeriodSeconds?: number;
}

export interface WriteOptions {
  /** Validate and default, but store nothing ("--dry-run=server"). */
  dryRun?: boolean;
}

/** A running watch. */
export interface Watcher {
  stop(): void;
  /** Settles when the stream ends: resolves after stop(), rejects when the stream broke. */
  done: Promise<void>;
}

/**
 * The API as every component sees it. The HTTP client and the in-process service implement the same
 * interface, so the scheduler, controllers and agents run unchanged in or out of the server process.
 * `namespace` is ignored for cluster-scoped resources; for list/watch of namespaced ones undefined
 * means all namespaces.
 */
export interface ApiClient {
  create<T extends ApiObject>(resource: string, obj: T, opts?: WriteOptions): Promise<T>;
  get<T extends ApiObject>(resource: string, name: string, namespace?: string): Promise<T>;
  list<T extends ApiObject>(resource: string, namespace?: string, opts?: ListOptions): Promise<ObjectList<T>>;
  /** Replace spec and metadata; fails with Conflict when metadata.resourceVersion is stale. */
  update<T extends ApiObject>(resource: string, obj: T, opts?: WriteOptions): Promise<T>;
  /** Replace status only. */
  updateStatus<T extends ApiObject>(resource: string, obj: T): Promise<T>;
  delete<T extends ApiObject>(resource: string, name: string, namespace?: string, opts?: DeleteOptions): Promise<T>;
  watch<T extends ApiObject>(resource: string, namespace: string | undefined, opts: WatchOptions, onEvent: (e: WatchEvent<T>) => void): Watcher;
  /** Assign a pod to a node (the scheduler's binding step). */
  bind(namespace: string, podName: string, nodeName: string): Promise<void>;
}
