import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import type { ApiObject, WatchEvent } from '../../api/meta.js';
import { ApiError } from '../../api/errors.js';
import type { ApiClient, Watcher } from '../../client/types.js';
import { systemClock, type Clock } from './clock.js';
import { desiredTaints, heartbeatOf, staleConditions } from './node-health.js';
import { evictedStatus, evictionTime } from './eviction.js';

/** Settings of the node lifecycle controller (Kubernetes' defaults). */
export interface NodeLifecycleOptions {
  api: ApiClient;
  clock?: Clock;
  /** How long a node may go without a heartbeat before it is Unknown (default 40 s). */
  nodeMonitorGraceMs?: number;
  /** How long pods stay on a lost node when they do not say otherwise (default 300 s). */
  podEvictionTimeoutMs?: number;
  /** How often every node is looked at again, since time passing is itself a change (default 1 s). */
  resyncMs?: number;
  log?: (msg: string) => void;
}

const terminal = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/**
 * Watches nodes and pods; for each node, one level-triggered reconcile: mark it Unknown when its
 * heartbeat is older than the grace, keep the lifecycle NoExecute taint in line with its Ready
 * status, and evict the pods whose toleration of that taint has run out.
 */
export class NodeLifecycleController {
  private readonly clock: Clock;
  private readonly graceMs: number;
  private readonly evictionMs: number;
  private readonly log: (msg: string) => void;
  private readonly known = new Set<string>();
  private readonly dirty = new Set<string>();
  /**
   * Per node: the object as the watch last delivered it. The resync looks at every node each second,
   * and reading each one from the store made it the server's largest cost at thousands of nodes; a
   * stale copy is harmless, since a write based on it fails with Conflict and is retried on a fresh read.
   */
  private readonly latest = new Map<string, Node>();
  /** Per node: the last heartbeat value seen and when (on our clock) it was first seen. */
  private readonly seen = new Map<string, { beat: string; at: number }>();
  private readonly watchers: Watcher[] = [];
  private draining = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly opts: NodeLifecycleOptions) {
    this.clock = opts.clock ?? systemClock;
    this.graceMs = opts.nodeMonitorGraceMs ?? 40_000;
    this.evictionMs = opts.podEvictionTimeoutMs ?? 300_000;
    this.log = opts.log ?? ((m) => console.error(`node-lifecycle: ${m}`));
  }

  /** Start watching and resyncing; every node is reconciled at least once per resync period. */
  start(): void {
    this.watch<Node>('nodes', (e) => {
      const name = e.object.metadata.name;
      if (e.type === 'DELETED') { this.known.delete(name); this.seen.delete(name); this.latest.delete(name); return; }
      this.known.add(name);
      this.latest.set(name, e.object);
      this.enqueue(name);
    });
    this.watch<Pod>('pods', (e) => { if (e.type !== 'DELETED' && e.object.spec.nodeName) this.enqueue(e.object.spec.nodeName); }, true);
    this.timer = setInterval(() => { for (const n of this.known) this.enqueue(n); }, this.opts.resyncMs ?? 1000);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const w of this.watchers) w.stop();
  }

  /** readOnly: onEvent keeps nothing it could later change (see WatchOptions.readOnly). */
  private watch<T extends ApiObject>(resource: string, onEvent: (e: WatchEvent<T>) => void, readOnly = false): void {
    const w = this.opts.api.watch<T>(resource, undefined, { readOnly }, onEvent);
    this.watchers.push(w);
    w.done.catch((e: unknown) => {
      if (this.stopped) return;
      this.log(`${resource} watch ended (${String(e)}); starting again`);
      setTimeout(() => { if (!this.stopped) this.watch(resource, onEvent, readOnly); }, 1000).unref();
    });
  }

  private enqueue(name: string): void {
    this.dirty.add(name);
    if (!this.draining) void this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      for (let name = first(this.dirty); name !== undefined && !this.stopped; name = first(this.dirty)) {
        this.dirty.delete(name);
        await this.reconcile(name).catch((e: unknown) => this.log(`node ${name}: ${String(e)}`));
      }
    } finally {
      this.draining = false;
    }
  }

  /** Reconcile every node once (what the resync does; tests call it after moving the clock). */
  async reconcileAll(): Promise<void> {
    const nodes = await this.opts.api.list<Node>('nodes');
    for (const n of nodes.items) await this.reconcile(n.metadata.name);
  }

  /** One node: status, then taints, then evictions. Safe to run again at any time. */
  async reconcile(name: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try { await this.step(name, attempt === 0); return; } catch (e) {
        if (e instanceof ApiError && e.code === 'NotFound') return;
        // The agent's heartbeat raced us: read again and decide on the new state.
        if (!(e instanceof ApiError && e.code === 'Conflict') || attempt >= 4) throw e;
      }
    }
  }

  /** cached: start from the watch's copy of the node when there is one (a retry reads the store). */
  private async step(name: string, cached: boolean): Promise<void> {
    const api = this.opts.api;
    const now = this.clock.now();
    const copy = cached ? this.latest.get(name) : undefined;
    let node = copy ?? await api.get<Node>('nodes', name);
    // Heartbeats are timed on this clock, when they change, not by the agent's timestamps: an edge
    // node's clock may be off, and a server that was down owes every node a fresh grace.
    const beat = heartbeatOf(node);
    let seen = this.seen.get(name);
    if (!seen || seen.beat !== beat) { seen = { beat, at: now }; this.seen.set(name, seen); }
    const conditions = staleConditions(node, now, seen.at, this.graceMs);
    if (conditions) {
      node = await api.updateStatus<Node>('nodes', { ...node, status: { ...node.status, conditions } });
      this.log(`node ${name}: no heartbeat for ${Math.round(this.graceMs / 1000)}s; Ready is Unknown`);
    }
    const taints = desiredTaints(node, now);
    if (taints) {
      const before = (node.spec?.taints ?? []).map((t) => t.key);
      node = await api.update<Node>('nodes', { ...node, spec: { ...node.spec, taints } });
      const added = taints.filter((t) => !before.includes(t.key)).map((t) => `${t.key}:${t.effect}`);
      this.log(`node ${name}: taints ${added.length > 0 ? `added ${added.join(', ')}` : 'cleared'}`);
    }
    let noExecute = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
    if (noExecute.length === 0) return;
    // Evictions cannot be undone: decide them on the stored node, not on a copy that may lag.
    if (node === copy) {
      node = await api.get<Node>('nodes', name);
      noExecute = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
      if (noExecute.length === 0) return;
    }
    const pods = await api.list<Pod>('pods', undefined, { fieldSelector: `spec.nodeName=${name}` });
    for (const pod of pods.items) {
      if (terminal(pod) || pod.metadata.deletionTimestamp) continue;
      const due = evictionTime(pod, noExecute, this.evictionMs);
      if (due === undefined || due > now) continue;
      await this.evict(pod, name, now);
    }
  }

  private async evict(pod: Pod, nodeName: string, now: number): Promise<void> {
    try {
      await this.opts.api.updateStatus<Pod>('pods', { ...pod, status: evictedStatus(pod, nodeName, now) });
      this.log(`evicted pod ${pod.metadata.namespace ?? 'default'}/${pod.metadata.name} from node ${nodeName}`);
    } catch (e) {
      // A pod that changed or went meanwhile is looked at again on the next pass.
      if (!(e instanceof ApiError && (e.code === 'Conflict' || e.code === 'NotFound'))) throw e;
    }
  }
}

const first = (s: Set<string>): string | undefined => s.values().next().value;
