import type { Pod } from '../../api/pod.js';
import type { Node } from '../../api/node.js';
import type { DaemonSet, DaemonSetStatus } from '../../api/schema/daemonset.js';
import { labelSelectorMatches } from '../../api/label-selector.js';
import { scaledValue } from '../../api/intstr.js';
import {
  Controller, EventRecorder, controllerOf, deleteControlled, ignoreErrors, indexByControllerUid, newControllerRef, onEachChange,
  retryOnConflict, splitKey, type ControllerInputs, type Informer,
} from '../../client/kit/index.js';
import { isAvailable, isReady } from '../replicaset/pod-state.js';
import { deleteRevisions, ensureRevision, revisionHashLabel, revisionsOf, trimHistory } from '../history/revisions.js';
import { nodeOfPod, shouldRunOn, specForNode } from './placement.js';
import { planDaemonSet, type DsPod } from './plan.js';

/** Settings of the DaemonSet controller. */
export interface DaemonSetControllerOptions extends ControllerInputs {
  /** How often every DaemonSet is looked at again, for minReadySeconds (default 1 s). */
  resyncMs?: number;
}

const byOwner = 'daemonset-controller-uid';
// Kubernetes' failedPodsBackoff: 1 s doubling to 15 min per node after a failed daemon pod.
const backoffBaseMs = 1000;
const backoffMaxMs = 15 * 60_000;

/**
 * Keeps one pod of each DaemonSet on every node that matches it (placed through the scheduler by a
 * required node affinity on the node's name), follows node changes (a new node gets its pod, one
 * that stops matching loses it), rolls pods to the template within maxUnavailable/maxSurge, keeps
 * the template history in ControllerRevisions and writes status and events.
 */
export class DaemonSetController extends Controller {
  private readonly events: EventRecorder;
  private readonly nodes: Informer<Node>;
  private readonly pods: Informer<Pod>;
  /** Per `setUid/node`: when a new pod may be made again, and the delay used last. */
  private readonly backoff = new Map<string, { until: number; delayMs: number }>();

  constructor(private readonly opts: DaemonSetControllerOptions) {
    super(opts, { name: 'daemonset-controller', retryOnError: false });
    this.events = new EventRecorder(opts.api, 'daemonset-controller', () => new Date(this.loop.clock.now()));
    this.nodes = this.loop.informer<Node>('nodes');
    this.pods = this.loop.informer<Pod>('pods');
    this.pods.addIndex(byOwner, indexByControllerUid);
  }

  /** Watch DaemonSets, their pods, and every node (a node change can change where every set runs). */
  start(): void {
    const sets = this.loop.informer<DaemonSet>('daemonsets');
    this.loop.watchOwners<DaemonSet>('daemonsets', 'pods', { kind: 'DaemonSet', resyncMs: this.opts.resyncMs ?? 1000, onDeleted: (d) => this.deleteOwned(d) });
    this.loop.watch(this.nodes, onEachChange<Node>(() => { for (const k of sets.keys()) this.loop.queue.add(k); }));
    void this.loop.start();
  }

  /** One DaemonSet ("ns/name"): one pass of creates/deletes, then status. Safe to run again at any time. */
  async reconcile(key: string): Promise<void> {
    await retryOnConflict(() => this.step(key)).catch(ignoreErrors('NotFound'));
  }

  private async step(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const api = this.opts.api;
    const ds = await api.get<DaemonSet>('daemonsets', name, namespace);
    if (ds.metadata.deletionTimestamp) return;
    const { update, revisions } = await ensureRevision(api, ds, await revisionsOf(api, ds));
    const hash = update.metadata.labels?.[revisionHashLabel] ?? update.metadata.name;
    const nodes = await this.listNodes();
    const spec = ds.spec.template.spec;
    const placed = nodes.map((n) => ({ name: n.metadata.name, shouldRun: shouldRunOn(spec, n) }));
    const desired = placed.filter((n) => n.shouldRun).length;
    const ru = ds.spec.updateStrategy?.rollingUpdate;
    const rolling = (ds.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
    const maxSurge = rolling ? scaledValue(ru?.maxSurge ?? 0, desired, true) : 0;
    const maxUnavailable = rolling ? Math.max(scaledValue(ru?.maxUnavailable ?? 1, desired, true), maxSurge === 0 ? 1 : 0) : 0;
    const now = this.loop.clock.now();
    const minReady = ds.spec.minReadySeconds ?? 0;
    let pods = await this.ownedPods(ds);
    const view = (p: Pod): DsPod => ({
      name: p.metadata.name, node: nodeOfPod(p.spec), updated: p.metadata.labels?.[revisionHashLabel] === hash,
      failed: p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded', available: isAvailable(p, minReady, now),
      terminating: p.metadata.deletionTimestamp !== undefined, created: Date.parse(p.metadata.creationTimestamp ?? '') || 0,
    });
    const views = pods.map(view);
    const plan = planDaemonSet(placed, views, { rollingUpdate: rolling, maxSurge, maxUnavailable }, this.held(ds, now));
    const deleting = new Set(plan.delete);
    this.holdFailed(ds, key, views.filter((p) => p.failed && deleting.has(p.name)), now);
    await Promise.all(plan.delete.map(async (podName) => {
      const gone = await api.delete<Pod>('pods', podName, namespace).catch(ignoreErrors('NotFound'));
      if (gone) this.pods.remember(gone);
      await this.events.record(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${podName}`);
    }));
    await Promise.all(plan.create.map((node) => this.createPod(ds, hash, node)));
    if (plan.create.length > 0 || plan.delete.length > 0) pods = await this.ownedPods(ds);
    await this.writeStatus(ds, placed, pods.filter((p) => !p.metadata.deletionTimestamp), hash, now);
    await trimHistory(api, ds, revisions, new Set([hash, ...pods.map((p) => p.metadata.labels?.[revisionHashLabel] ?? '')]));
  }

  /** Nodes of this set still in back-off after a failed pod. */
  private held(ds: DaemonSet, now: number): Set<string> {
    const prefix = `${ds.metadata.uid ?? ''}/`;
    const out = new Set<string>();
    for (const [k, b] of this.backoff) {
      if (!k.startsWith(prefix)) continue;
      if (b.until > now) out.add(k.slice(prefix.length));
      else if (now - b.until > backoffMaxMs * 2) this.backoff.delete(k); // long quiet: forget it
    }
    return out;
  }

  /** Start (or double) the back-off of the nodes whose pods failed, and look again when it ends. */
  private holdFailed(ds: DaemonSet, key: string, failed: DsPod[], now: number): void {
    for (const p of failed) {
      if (!p.node) continue;
      const k = `${ds.metadata.uid ?? ''}/${p.node}`;
      const prev = this.backoff.get(k);
      const delayMs = prev ? Math.min(backoffMaxMs, prev.delayMs * 2) : backoffBaseMs;
      this.backoff.set(k, { until: now + delayMs, delayMs });
      this.loop.queue.addAfter(key, delayMs);
      void this.events.record(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${ds.metadata.namespace ?? 'default'}/${p.name} on node ${p.node}, will try to kill it`);
    }
  }

  private async createPod(ds: DaemonSet, hash: string, node: string): Promise<void> {
    const t = ds.spec.template;
    const pod: Pod = {
      apiVersion: 'v1', kind: 'Pod',
      metadata: {
        name: '', generateName: `${ds.metadata.name}-`, namespace: ds.metadata.namespace,
        labels: { ...t.metadata?.labels, [revisionHashLabel]: hash },
        ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
        ownerReferences: [newControllerRef(ds)],
      },
      spec: specForNode(t.spec, node),
    };
    try {
      const made = await this.opts.api.create<Pod>('pods', pod);
      this.pods.remember(made);
      await this.events.record(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${made.metadata.name}`);
    } catch (e) {
      await this.events.record(ds, 'Warning', 'FailedCreate', `Error creating: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  }

  private async writeStatus(ds: DaemonSet, placed: { name: string; shouldRun: boolean }[], pods: Pod[], hash: string, now: number): Promise<void> {
    const minReady = ds.spec.minReadySeconds ?? 0;
    const run = new Set(placed.filter((n) => n.shouldRun).map((n) => n.name));
    const onNode = new Map<string, Pod[]>();
    for (const p of pods) {
      const n = nodeOfPod(p.spec) ?? '';
      onNode.set(n, [...(onNode.get(n) ?? []), p]);
    }
    let current = 0, misscheduled = 0, ready = 0, updated = 0, available = 0;
    for (const [node, list] of onNode) {
      if (!run.has(node)) { misscheduled++; continue; }
      current++;
      const fresh = list.filter((p) => p.metadata.labels?.[revisionHashLabel] === hash);
      if (fresh.length > 0) updated++;
      if (list.some(isReady)) ready++;
      if (list.some((p) => isAvailable(p, minReady, now))) available++;
    }
    const status: DaemonSetStatus = {
      currentNumberScheduled: current, numberMisscheduled: misscheduled, desiredNumberScheduled: run.size, numberReady: ready,
      observedGeneration: ds.metadata.generation ?? 1, updatedNumberScheduled: updated, numberAvailable: available,
      numberUnavailable: Math.max(0, run.size - available),
    };
    if (JSON.stringify(status) === JSON.stringify(ds.status)) return;
    await this.opts.api.updateStatus<DaemonSet>('daemonsets', { ...ds, status });
  }

  /** Nodes from the shared informer once it has listed; the API before (a controller driven by hand in tests). */
  private async listNodes(): Promise<Node[]> {
    return this.nodes.hasSynced() ? this.nodes.list() : (await this.opts.api.list<Node>('nodes')).items;
  }

  /** Pods this set controls (by uid) that its selector matches. */
  private async ownedPods(ds: DaemonSet): Promise<Pod[]> {
    const uid = ds.metadata.uid ?? '';
    const mine = this.pods.hasSynced() ? this.pods.byIndex(byOwner, uid)
      : (await this.opts.api.list<Pod>('pods', ds.metadata.namespace)).items.filter((p) => controllerOf(p)?.uid === uid);
    return mine.filter((p) => labelSelectorMatches(ds.spec.selector, p.metadata.labels));
  }

  /** The cascade: a deleted set's pods and revisions go with it. */
  private async deleteOwned(ds: DaemonSet): Promise<void> {
    await deleteControlled(this.opts.api, 'pods', ds, (await this.opts.api.list<Pod>('pods', ds.metadata.namespace)).items);
    await deleteRevisions(this.opts.api, ds);
    for (const k of [...this.backoff.keys()]) if (k.startsWith(`${ds.metadata.uid ?? ''}/`)) this.backoff.delete(k);
  }
}
