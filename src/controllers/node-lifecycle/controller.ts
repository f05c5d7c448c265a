import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import { Controller, ignoreErrors, keyOf, retryOnConflict, type ControllerInputs, type Informer } from '../../client/kit/index.js';
import { desiredTaints, heartbeatOf, readyOf, staleConditions } from './node-health.js';
import { evictedStatus, evictionTime, notReadyStatus } from './eviction.js';
import { isAutonomous } from '../../api/node-autonomy.js';
import { withoutLifecycleTaints } from './autonomy.js';

/** Settings of the node lifecycle controller (Kubernetes' defaults). */
export interface NodeLifecycleOptions extends ControllerInputs {
  /** How long a node may go without a heartbeat before it is Unknown (default 40 s). */
  nodeMonitorGraceMs?: number;
  /** How long pods stay on a lost node when they do not say otherwise (default 300 s). */
  podEvictionTimeoutMs?: number;
  /** How often every node is looked at again, since time passing is itself a change (default 1 s). */
  resyncMs?: number;
}

const terminal = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/**
 * Watches nodes and pods; for each node, one level-triggered reconcile: mark it Unknown when its
 * heartbeat is older than the grace, keep the lifecycle NoExecute taint in line with its Ready
 * status, mark its pods not ready while it is Unknown, and evict the pods whose toleration of that
 * taint has run out.
 */
export class NodeLifecycleController extends Controller {
  private readonly graceMs: number;
  private readonly evictionMs: number;
  /**
   * Set by start(): the nodes as the watch last delivered them. The resync looks at every node each
   * second, and reading each one from the store made it the server's largest cost at thousands of
   * nodes; a stale copy is harmless, since a write based on it fails with Conflict and is retried on a
   * fresh read.
   */
  private nodes: Informer<Node> | undefined;
  /** Per node: the last heartbeat value seen and when (on our clock) it was first seen. */
  private readonly seen = new Map<string, { beat: string; at: number }>();

  constructor(private readonly opts: NodeLifecycleOptions) {
    super(opts, { name: 'node-lifecycle', retryOnError: false });
    this.graceMs = opts.nodeMonitorGraceMs ?? 40_000;
    this.evictionMs = opts.podEvictionTimeoutMs ?? 300_000;
  }

  /** Start watching and resyncing; every node is reconciled at least once per resync period. */
  start(): void {
    const { loop } = this;
    const queue = loop.queue;
    this.nodes = loop.watch(loop.informer<Node>('nodes'), {
      onAdd: (n) => queue.add(keyOf(n)),
      onUpdate: (_, n) => queue.add(keyOf(n)),
      onDelete: (n) => this.seen.delete(n.metadata.name),
    }, { resyncMs: this.opts.resyncMs ?? 1000 });
    const podChanged = (p: Pod): void => { if (p.spec.nodeName) queue.add(p.spec.nodeName); };
    loop.watch(loop.informer<Pod>('pods'), { onAdd: podChanged, onUpdate: (_, p) => podChanged(p) });
    void loop.start();
  }

  /** Reconcile every node once (what the resync does; tests call it after moving the clock). */
  async reconcileAll(): Promise<void> {
    const nodes = await this.opts.api.list<Node>('nodes');
    for (const n of nodes.items) await this.reconcile(n.metadata.name);
  }

  /** One node: status, then taints, then evictions. Safe to run again at any time. */
  async reconcile(name: string): Promise<void> {
    // A Conflict is the agent's heartbeat racing us: read again and decide on the new state.
    await retryOnConflict((attempt) => this.step(name, attempt === 0)).catch(ignoreErrors('NotFound'));
  }

  /** cached: start from the watch's copy of the node when there is one (a retry reads the store). */
  private async step(name: string, cached: boolean): Promise<void> {
    const api = this.opts.api;
    const now = this.loop.clock.now();
    const copy = cached ? this.nodes?.get(name) : undefined;
    let node = copy ?? await api.get<Node>('nodes', name);
    // Heartbeats are timed on this clock, when they change, not by the agent's timestamps: an edge
    // node's clock may be off, and a server that was down owes every node a fresh grace.
    const beat = heartbeatOf(node);
    let seen = this.seen.get(name);
    if (!seen || seen.beat !== beat) { seen = { beat, at: now }; this.seen.set(name, seen); }
    const conditions = staleConditions(node, now, seen.at, this.graceMs);
    if (conditions) {
      node = await api.updateStatus<Node>('nodes', { ...node, status: { ...node.status, conditions } });
      this.loop.log(`node ${name}: no heartbeat for ${Math.round(this.graceMs / 1000)}s; Ready is Unknown`);
    }
    const taints = desiredTaints(node, now);
    if (taints) {
      const before = (node.spec?.taints ?? []).map((t) => t.key);
      node = await api.update<Node>('nodes', { ...node, spec: { ...node.spec, taints } });
      const added = taints.filter((t) => !before.includes(t.key)).map((t) => `${t.key}:${t.effect}`);
      this.loop.log(`node ${name}: taints ${added.length > 0 ? `added ${added.join(', ')}` : 'cleared'}`);
    }
    let noExecute = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
    if (noExecute.length === 0) return;
    // Evictions cannot be undone: decide them on the stored node, not on a copy that may lag.
    if (node === copy) {
      node = await api.get<Node>('nodes', name);
      noExecute = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
      if (noExecute.length === 0) return;
    }
    const lost = readyOf(node)?.status === 'Unknown';
    // An autonomous edge node runs its pods on its own while cut off: evicting them for the lifecycle
    // taints would run them twice. A NoExecute taint an admin added still evicts.
    const evicting = isAutonomous(node) ? withoutLifecycleTaints(noExecute) : noExecute;
    const pods = await api.list<Pod>('pods', undefined, { fieldSelector: `spec.nodeName=${name}` });
    for (const pod of pods.items) {
      if (terminal(pod) || pod.metadata.deletionTimestamp) continue;
      const due = evictionTime(pod, evicting, this.evictionMs);
      if (due !== undefined && due <= now) await this.evict(pod, name, now);
      else if (lost) await this.markNotReady(pod, name, now);
    }
  }

  /** A pod on an Unknown node stops being Ready, so its Services' endpoints drop it within the grace. */
  private async markNotReady(pod: Pod, nodeName: string, now: number): Promise<void> {
    const status = notReadyStatus(pod, now);
    if (!status) return;
    const written = await this.opts.api.updateStatus<Pod>('pods', { ...pod, status }).catch(ignoreErrors('Conflict', 'NotFound'));
    if (written) this.loop.log(`pod ${keyOf(pod)}: not ready, node ${nodeName} is unreachable`);
  }

  private async evict(pod: Pod, nodeName: string, now: number): Promise<void> {
    // A pod that changed or went meanwhile is looked at again on the next pass.
    const written = await this.opts.api.updateStatus<Pod>('pods', { ...pod, status: evictedStatus(pod, nodeName, now) }).catch(ignoreErrors('Conflict', 'NotFound'));
    if (written) this.loop.log(`evicted pod ${keyOf(pod)} from node ${nodeName}`);
  }
}
