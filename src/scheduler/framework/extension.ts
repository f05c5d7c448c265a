/**
 * Cache extensions: what a plugin keeps up to date from the scheduler's cache events (an index over
 * placed pods, counts per node, a membership table), registered by the plugin and owned by the
 * cache, so the cache knows no plugin and a plugin reads its data through the snapshot.
 */
import type { ApiObject, WatchEvent } from '../../api/meta.js';
import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import type { NodeInfo } from './node-info.js';

/** Pods a change may unblock: the scheduler tries them now (kube-scheduler's Activate). */
export type Wake = readonly Pod[] | undefined;

/** Data one plugin keeps from the cache's events. Every method is optional: implement what the data needs. */
export interface CacheExtension {
  /** Every pod the cache holds, placed or not, as it comes, changes (an assumed binding too) or goes. */
  podChanged?(before: Pod | undefined, after: Pod | undefined): Wake;
  /** A pod that holds resources was counted on a node (delta 1) or taken off it (-1). */
  podPlaced?(pod: Pod, node: Node, delta: 1 | -1): void;
  /** A node came (before undefined), changed what filters read (a heartbeat is no change), or went (after undefined). */
  nodeChanged?(before: Node | undefined, after: Node | undefined, info: NodeInfo): void;
  /** Other resources the extension follows (the scheduler watches them): their events go to objectChanged. */
  readonly watches?: readonly string[];
  /** An object of a resource in `watches` came, changed or went; says which parked pods it may help. */
  objectChanged?(resource: string, event: WatchEvent<ApiObject>): Wake;
}

/** A typed name for an extension and how to make an empty one; plugins expose theirs as `extension`. */
export class ExtensionKey<T extends CacheExtension> {
  constructor(readonly name: string, readonly create: () => T) {}
}

/** The extensions of one cache, one per key, as the snapshot hands them to plugins. */
export class Extensions {
  private readonly byName = new Map<string, CacheExtension>();
  /** In registration order, for the cache to tell each of them. */
  readonly all: readonly CacheExtension[];

  constructor(keys: Iterable<ExtensionKey<CacheExtension>>) {
    for (const k of keys) if (!this.byName.has(k.name)) this.byName.set(k.name, k.create());
    this.all = [...this.byName.values()];
  }

  /** The extension registered under key, if this cache keeps it (else the plugin computes without it). */
  get<T extends CacheExtension>(key: ExtensionKey<T>): T | undefined {
    // Only the constructor stores under key.name, with key.create()'s T.
    return this.byName.get(key.name) as T | undefined;
  }

  /** The resources some extension follows. */
  watched(): string[] { return [...new Set(this.all.flatMap((e) => e.watches ?? []))]; }
}

/** The pods of both wakes. */
export function mergeWake(a: Wake, b: Wake): Wake {
  if (!a || a.length === 0) return b;
  if (!b || b.length === 0) return a;
  return [...a, ...b];
}
