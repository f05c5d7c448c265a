import type { ApiClient, Watcher } from '../client/types.js';
import type { Pod, PodCondition } from '../api/pod.js';
import type { Node } from '../api/node.js';
import type { PriorityClass } from '../api/schema/priority-class.js';
import type { WatchEvent } from '../api/meta.js';
import { ApiError } from '../api/errors.js';
import { buildSnapshot } from './framework/snapshot.js';
import { schedulePod } from './framework/cycle.js';
import type { Profile } from './framework/plugin.js';
import { defaultProfile } from './profile.js';
import { SchedulingQueue } from './queue.js';
import { findPreemption, type Preemption } from './framework/preemption.js';
import type { Snapshot } from './framework/snapshot.js';
import { EventRecorder } from '../client/events.js';

const keyOf = (p: Pod): string => `${p.metadata.namespace ?? 'default'}/${p.metadata.name}`;
const needsScheduling = (p: Pod): boolean => !p.spec.nodeName && !p.metadata.deletionTimestamp && (p.spec.schedulerName ?? 'default-scheduler') === 'default-scheduler';

/**
 * The scheduler process: watches pods and nodes through the API, keeps a cache, runs one pure cycle
 * per pod over a snapshot and binds through the API. Pods it cannot place get PodScheduled=False with
 * the reason.
 */
export class Scheduler {
  private readonly pods = new Map<string, Pod>();
  private readonly nodes = new Map<string, Node>();
  private readonly queue = new SchedulingQueue();
  private watchers: Watcher[] = [];
  private running = false;
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly events: EventRecorder;

  constructor(private readonly api: ApiClient, private readonly profile: Profile = defaultProfile) {
    this.events = new EventRecorder(api, 'default-scheduler');
  }

  async start(): Promise<void> {
    this.running = true;
    const [nodes, pods] = await Promise.all([this.api.list<Node>('nodes'), this.api.list<Pod>('pods')]);
    for (const n of nodes.items) this.nodes.set(n.metadata.name, n);
    for (const p of pods.items) this.onPod({ type: 'ADDED', object: p });
    this.watchers.push(this.api.watch<Node>('nodes', undefined, { resourceVersion: nodes.metadata.resourceVersion }, (e) => this.onNode(e)));
    this.watchers.push(this.api.watch<Pod>('pods', undefined, { resourceVersion: pods.metadata.resourceVersion }, (e) => this.onPod(e)));
    for (const w of this.watchers) w.done.catch((e: unknown) => { if (this.running) console.error('scheduler: watch ended:', e); });
    void this.loop();
  }

  stop(): void {
    this.running = false;
    for (const w of this.watchers) w.stop();
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
  }

  private onNode(e: WatchEvent<Node>): void {
    if (e.type === 'DELETED') this.nodes.delete(e.object.metadata.name);
    else this.nodes.set(e.object.metadata.name, e.object);
    this.queue.moveAllToActiveOrBackoff();
    this.kick();
  }

  private onPod(e: WatchEvent<Pod>): void {
    const pod = e.object;
    const k = keyOf(pod);
    const old = this.pods.get(k);
    if (e.type === 'DELETED') {
      this.pods.delete(k);
      this.queue.remove(pod.metadata.namespace ?? 'default', pod.metadata.name);
      if (old?.spec.nodeName) this.queue.moveAllToActiveOrBackoff();
    } else {
      // Keep an assumed binding until the watch confirms it.
      if (old?.spec.nodeName && !pod.spec.nodeName && old.metadata.uid === pod.metadata.uid) pod.spec.nodeName = old.spec.nodeName;
      this.pods.set(k, pod);
      if (needsScheduling(pod)) this.queue.add(pod);
      const finished = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
      const wasFinished = old?.status?.phase === 'Succeeded' || old?.status?.phase === 'Failed';
      if (finished && !wasFinished && pod.spec.nodeName) this.queue.moveAllToActiveOrBackoff();
    }
    this.kick();
  }

  private kick(): void { this.wake?.(); }

  private async loop(): Promise<void> {
    while (this.running) {
      const pod = this.queue.pop();
      if (!pod) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          const wait = this.queue.nextBackoffIn();
          if (wait !== undefined) this.timer = setTimeout(resolve, wait);
        });
        this.wake = undefined;
        if (this.timer) clearTimeout(this.timer);
        continue;
      }
      const current = this.pods.get(keyOf(pod));
      if (!current || !needsScheduling(current) || current.metadata.uid !== pod.metadata.uid) continue;
      await this.scheduleOne(current);
    }
  }

  private async scheduleOne(pod: Pod): Promise<void> {
    const snapshot = buildSnapshot(this.nodes.values(), this.pods.values());
    const decision = schedulePod(pod, snapshot, this.profile);
    const ns = pod.metadata.namespace ?? 'default';
    if (decision.node === undefined) {
      this.queue.markUnschedulable(pod);
      const preemption = await this.preempt(pod, snapshot);
      await this.setScheduledCondition(pod, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: decision.message }, preemption?.node);
      await this.events.record(pod, 'Warning', 'FailedScheduling', decision.message);
      return;
    }
    // Assume the binding in the cache so the next cycle sees the node's allocation at once.
    const assumed: Pod = { ...pod, spec: { ...pod.spec, nodeName: decision.node } };
    this.pods.set(keyOf(pod), assumed);
    try {
      await this.api.bind(ns, pod.metadata.name, decision.node);
      await this.events.record(pod, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${pod.metadata.name} to ${decision.node}`);
    } catch (e) {
      this.pods.set(keyOf(pod), pod);
      if (e instanceof ApiError && e.code === 'NotFound') return;
      if (e instanceof ApiError && e.code === 'Conflict') return; // bound by someone else; the watch will tell
      this.queue.markError(pod);
      console.error(`scheduler: binding ${ns}/${pod.metadata.name} to ${decision.node} failed:`, e instanceof Error ? e.message : e);
    }
  }

  /**
   * Kubernetes' DefaultPreemption PostFilter: evict lower-priority pods (gracefully, through the API)
   * so this one fits on a node later. The pod is tried again once the victims are gone (their deletion
   * is a cluster event); until then findPreemption waits on the nominated node.
   */
  private async preempt(pod: Pod, snapshot: Snapshot): Promise<Preemption | undefined> {
    const found = findPreemption(pod, snapshot, this.profile);
    if (!found || found.victims.length === 0) return found;
    if (await this.neverPreempts(pod)) return undefined;
    const ns = pod.metadata.namespace ?? 'default';
    for (const v of found.victims) {
      try {
        await this.api.delete('pods', v.metadata.name, v.metadata.namespace ?? 'default', { gracePeriodSeconds: v.spec.terminationGracePeriodSeconds ?? 30 });
      } catch (e) {
        // NotFound: already gone. Anything else: the next cycle decides again.
        if (!(e instanceof ApiError && e.code === 'NotFound')) console.error(`scheduler: preempting ${v.metadata.name} failed:`, e instanceof Error ? e.message : e);
        continue;
      }
      await this.events.record(v, 'Normal', 'Preempted', `Preempted by ${ns}/${pod.metadata.name} on node ${found.node}`);
    }
    return found;
  }

  /** preemptionPolicy: Never on the pod's PriorityClass (the pod waits in the queue instead). */
  private async neverPreempts(pod: Pod): Promise<boolean> {
    const name = pod.spec.priorityClassName;
    if (!name) return false;
    try {
      return (await this.api.get<PriorityClass>('priorityclasses', name)).preemptionPolicy === 'Never';
    } catch (e) {
      if (e instanceof ApiError && e.code === 'NotFound') return false; // a built-in class, or deleted since
      console.error(`scheduler: reading PriorityClass ${name} failed; not preempting this cycle:`, e instanceof Error ? e.message : e);
      return true;
    }
  }

  private async setScheduledCondition(pod: Pod, condition: PodCondition, nominatedNodeName?: string): Promise<void> {
    const existing = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    const nominated = nominatedNodeName ?? pod.status?.nominatedNodeName;
    if (existing && existing.status === condition.status && existing.message === condition.message && nominated === pod.status?.nominatedNodeName) return;
    const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    conditions.push({ ...condition, lastTransitionTime: new Date().toISOString() });
    const status = { ...pod.status, phase: 'Pending' as const, conditions };
    if (nominated !== undefined) status.nominatedNodeName = nominated;
    try {
      await this.api.updateStatus('pods', { ...pod, status });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e; // a stale or deleted pod: the watch brings the new state
    }
  }

  /** Pods waiting in the queue (for metrics and tests). */
  get pending(): number { return this.queue.pendingCount; }
}
