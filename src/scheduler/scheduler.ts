import type { ApiClient, Watcher } from '../client/types.js';
import type { Pod, PodCondition } from '../api/pod.js';
import type { Node } from '../api/node.js';
import type { PriorityClass } from '../api/schema/priority-class.js';
import type { WatchEvent } from '../api/meta.js';
import { ApiError } from '../api/errors.js';
import { decide, numFeasibleNodesToFind } from './framework/cycle.js';
import type { Profile } from './framework/plugin.js';
import { defaultProfile } from './profile.js';
import { SchedulingQueue } from './queue.js';
import { findPreemption, type Preemption } from './framework/preemption.js';
import type { Snapshot } from './framework/snapshot.js';
import { EventRecorder } from '../client/events.js';
import { SchedulerCache, podKey as keyOf } from './cache.js';
import type { PodGroup } from '../api/schema/pod-group.js';
import { holdsResources } from './framework/node-info.js';
import { annotatedMinMember, gangKey, missingMembers, placeGang } from './gang.js';

/** Bindings in flight at once: the store commits them together, so the scheduler need not wait for each. */
const maxBindsInFlight = 256;
/** The loop hands the event loop back this often, so watch events and API requests keep flowing. */
const yieldEveryMs = 5;

/** Optional observers (metrics) the daemon injects; the scheduler only reports, it never waits on them. */
export interface SchedulerHooks {
  /** One scheduling cycle ended: scheduled (a node was found), unschedulable, or error (its binding failed). */
  attempt?(result: 'scheduled' | 'unschedulable' | 'error', seconds: number): void;
}

const needsScheduling = (p: Pod): boolean => !p.spec.nodeName && !p.metadata.deletionTimestamp && (p.spec.schedulerName ?? 'default-scheduler') === 'default-scheduler';

/**
 * The scheduler process: watches pods and nodes through the API, keeps an incremental cache, runs one
 * pure cycle per pod over it and binds through the API without waiting for each binding (as
 * kube-scheduler's binding cycle). Pods it cannot place get PodScheduled=False with the reason.
 */
export class Scheduler {
  private readonly cache = new SchedulerCache();
  private readonly queue = new SchedulingQueue();
  private nextStartNodeIndex = 0;
  private bindsInFlight = 0;
  private bindSlot: (() => void) | undefined;
  private watchers: Watcher[] = [];
  private running = false;
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly events: EventRecorder;
  /** Gang members by namespace/group, and the PodGroup objects that say how many must go together. */
  private readonly gangs = new Map<string, Set<string>>();
  private readonly podGroups = new Map<string, PodGroup>();
  /** Gangs parked until more of their members are created (no back-off: a new member wakes them). */
  private readonly gangsAwaitingMembers = new Set<string>();

  constructor(private readonly api: ApiClient, private readonly profile: Profile = defaultProfile, private readonly hooks: SchedulerHooks = {}) {
    this.events = new EventRecorder(api, 'default-scheduler');
  }

  async start(): Promise<void> {
    this.running = true;
    const [nodes, pods, groups] = await Promise.all([this.api.list<Node>('nodes'), this.api.list<Pod>('pods'), this.api.list<PodGroup>('podgroups')]);
    for (const g of groups.items) this.podGroups.set(`${g.metadata.namespace ?? 'default'}/${g.metadata.name}`, g);
    for (const n of nodes.items) this.cache.setNode(n);
    for (const p of pods.items) this.onPod({ type: 'ADDED', object: p });
    this.watchers.push(this.api.watch<Node>('nodes', undefined, { resourceVersion: nodes.metadata.resourceVersion }, (e) => this.onNode(e)));
    this.watchers.push(this.api.watch<Pod>('pods', undefined, { resourceVersion: pods.metadata.resourceVersion }, (e) => this.onPod(e)));
    this.watchers.push(this.api.watch<PodGroup>('podgroups', undefined, { resourceVersion: groups.metadata.resourceVersion }, (e) => this.onPodGroup(e)));
    for (const w of this.watchers) w.done.catch((e: unknown) => { if (this.running) console.error('scheduler: watch ended:', e); });
    void this.loop().catch((e: unknown) => console.error('scheduler: the scheduling loop stopped:', e));
  }

  stop(): void {
    this.running = false;
    this.bindSlot?.();
    for (const w of this.watchers) w.stop();
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
  }

  private onNode(e: WatchEvent<Node>): void {
    if (e.type === 'DELETED') { this.cache.deleteNode(e.object.metadata.name); return; }
    // Only a change the filters can see may help a parked pod; a heartbeat does not.
    if (!this.cache.setNode(e.object)) return;
    this.queue.moveAllToActiveOrBackoff();
    this.kick();
  }

  private onPodGroup(e: WatchEvent<PodGroup>): void {
    const key = `${e.object.metadata.namespace ?? 'default'}/${e.object.metadata.name}`;
    if (e.type === 'DELETED') { this.podGroups.delete(key); return; }
    const before = this.podGroups.get(key)?.spec.minMember;
    this.podGroups.set(key, e.object);
    if (before !== e.object.spec.minMember) { this.queue.moveAllToActiveOrBackoff(); this.kick(); }
  }

  /** Keep the gang membership index in step with the pods. */
  private trackGang(k: string, old: Pod | undefined, pod: Pod | undefined): void {
    const was = old && gangKey(old);
    const now = pod && gangKey(pod);
    if (was === now) return;
    if (was) { const set = this.gangs.get(was); set?.delete(k); if (set?.size === 0) this.gangs.delete(was); }
    if (now) { let set = this.gangs.get(now); if (!set) { set = new Set(); this.gangs.set(now, set); } set.add(k); }
  }

  private onPod(e: WatchEvent<Pod>): void {
    const pod = e.object;
    const k = keyOf(pod);
    const old = this.cache.getPod(k);
    this.trackGang(k, old, e.type === 'DELETED' ? undefined : pod);
    if (e.type === 'DELETED') {
      this.cache.deletePod(k);
      this.queue.remove(pod.metadata.namespace ?? 'default', pod.metadata.name);
      if (old?.spec.nodeName) this.queue.moveAllToActiveOrBackoff();
    } else {
      // Keep an assumed binding until the watch confirms it.
      if (old?.spec.nodeName && !pod.spec.nodeName && old.metadata.uid === pod.metadata.uid) pod.spec.nodeName = old.spec.nodeName;
      this.cache.setPod(pod);
      if (needsScheduling(pod)) this.queue.add(pod);
      const gang = gangKey(pod);
      if (gang && !old && this.gangsAwaitingMembers.delete(gang)) this.wakeGang(gang);
      const finished = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
      const wasFinished = old?.status?.phase === 'Succeeded' || old?.status?.phase === 'Failed';
      if (finished && !wasFinished && pod.spec.nodeName) this.queue.moveAllToActiveOrBackoff();
    }
    this.kick();
  }

  private kick(): void { this.wake?.(); }

  /** Pods waiting, per sub-queue (kube-scheduler's scheduler_pending_pods). */
  pendingPods(): { active: number; backoff: number; unschedulable: number } {
    return { active: this.queue.activeCount, backoff: this.queue.backoffCount, unschedulable: this.queue.unschedulableCount };
  }

  private async loop(): Promise<void> {
    let slice = Date.now();
    while (this.running) {
      if (Date.now() - slice >= yieldEveryMs) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        slice = Date.now();
      }
      if (this.bindsInFlight >= maxBindsInFlight) {
        await new Promise<void>((resolve) => { this.bindSlot = resolve; });
        continue;
      }
      const pod = this.queue.pop();
      if (!pod) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          const wait = this.queue.nextBackoffIn();
          if (wait !== undefined) this.timer = setTimeout(resolve, wait);
        });
        this.wake = undefined;
        if (this.timer) clearTimeout(this.timer);
        slice = Date.now();
        continue;
      }
      const current = this.cache.getPod(keyOf(pod));
      if (!current || !needsScheduling(current) || current.metadata.uid !== pod.metadata.uid) continue;
      const gang = gangKey(current);
      try {
        if (gang) await this.scheduleGang(gang, current);
        else await this.scheduleOne(current);
      } catch (e) {
        // One pod's failure (a store write that failed, say) must not stop scheduling for every other pod.
        console.error(`scheduler: scheduling ${keyOf(current)} failed (will retry): ${e instanceof Error ? e.message : String(e)}`);
        this.queue.markError(current);
      }
    }
  }

  /** One scheduling cycle; a found node is assumed at once and bound in the background. */
  private async scheduleOne(pod: Pod): Promise<void> {
    const t0 = performance.now();
    const snapshot = this.cache.snapshot();
    const all = snapshot.nodes.length;
    const { decision, processed } = decide(pod, snapshot, this.profile, undefined, { limit: numFeasibleNodesToFind(all), start: this.nextStartNodeIndex });
    if (all > 0) this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % all;
    if (decision.node === undefined) {
      this.hooks.attempt?.('unschedulable', (performance.now() - t0) / 1000);
      this.queue.markUnschedulable(pod);
      const preemption = await this.preempt(pod, snapshot);
      await this.setScheduledCondition(pod, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: decision.message }, preemption?.node);
      await this.events.record(pod, 'Warning', 'FailedScheduling', decision.message);
      return;
    }
    this.hooks.attempt?.('scheduled', (performance.now() - t0) / 1000);
    this.assumeAndBind(pod, decision.node);
  }

  /** Assume the binding in the cache so the next cycle sees the node's allocation at once, then bind in the background. */
  private assumeAndBind(pod: Pod, node: string): void {
    this.cache.setPod({ ...pod, spec: { ...pod.spec, nodeName: node } });
    this.bindsInFlight++;
    void this.bind(pod, node).finally(() => {
      this.bindsInFlight--;
      const slot = this.bindSlot;
      this.bindSlot = undefined;
      slot?.();
    });
  }

  /** Put every pending member of the gang back in the active queue. */
  private wakeGang(gang: string): void {
    for (const k of this.gangs.get(gang) ?? []) {
      const p = this.cache.getPod(k);
      if (p && needsScheduling(p)) this.queue.add(p);
    }
    this.kick();
  }

  /** How many members of the gang must be placed together: its PodGroup's minMember, else the pods' annotation. */
  private minMember(gang: string, pod: Pod): number | undefined {
    return this.podGroups.get(gang)?.spec.minMember ?? annotatedMinMember(pod);
  }

  /**
   * Gang scheduling: when one member comes up, decide for every pending member of its group at once
   * (gang.ts placeGang): at least minMember get nodes in this one decision, or none is placed and all
   * wait with the reason. Once the gang stands (minMember running), further members go one by one.
   */
  private async scheduleGang(gang: string, popped: Pod): Promise<void> {
    const min = this.minMember(gang, popped);
    const members = [...(this.gangs.get(gang) ?? [])].map((k) => this.cache.getPod(k)).filter((p): p is Pod => p !== undefined);
    const running = members.filter((p) => p.spec.nodeName && holdsResources(p)).length;
    if (min === undefined || running >= min) { await this.scheduleOne(popped); return; }
    const t0 = performance.now();
    const pending = members.filter(needsScheduling).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
    for (const p of pending) if (p !== popped) this.queue.remove(p.metadata.namespace ?? 'default', p.metadata.name);
    if (running + pending.length < min) {
      // Not all members exist yet: park them without back-off; the next member created wakes the gang.
      this.gangsAwaitingMembers.add(gang);
      this.queue.remove(popped.metadata.namespace ?? 'default', popped.metadata.name);
      await this.reportGang(gang, { phase: 'Pending', scheduled: running, message: missingMembers(gang, running + pending.length, min) });
      return;
    }
    const decision = placeGang(gang, pending, running, min, this.cache.snapshot(), this.profile, (all) => ({ limit: numFeasibleNodesToFind(all), start: this.nextStartNodeIndex }));
    if ('message' in decision) {
      this.hooks.attempt?.('unschedulable', (performance.now() - t0) / 1000);
      for (const p of pending) this.queue.markUnschedulable(p);
      for (const p of pending) await this.setScheduledCondition(p, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: decision.message });
      await this.events.record(this.podGroups.get(gang) ?? popped, 'Warning', 'FailedScheduling', decision.message);
      await this.reportGang(gang, { phase: 'Pending', scheduled: running, message: decision.message });
      return;
    }
    this.hooks.attempt?.('scheduled', (performance.now() - t0) / 1000);
    const placed = new Set(decision.placements.map((x) => x.pod));
    for (const { pod, node } of decision.placements) this.assumeAndBind(pod, node);
    // Members beyond minMember that found no node now wait on their own.
    for (const p of pending) if (!placed.has(p)) this.queue.markUnschedulable(p);
    await this.reportGang(gang, { phase: 'Scheduled', scheduled: running + decision.placements.length });
  }

  /** Write what the scheduler decided for a gang into its PodGroup's status (when it has one and it changed). */
  private async reportGang(gang: string, status: NonNullable<PodGroup['status']>): Promise<void> {
    const pg = this.podGroups.get(gang);
    if (!pg || JSON.stringify(pg.status ?? {}) === JSON.stringify(status)) return;
    try {
      this.podGroups.set(gang, await this.api.updateStatus<PodGroup>('podgroups', { ...pg, status }));
    } catch (e) {
      // Changed or deleted meanwhile: the watch brings the new object, and the next decision writes again.
      if (!(e instanceof ApiError && (e.code === 'Conflict' || e.code === 'NotFound'))) console.error(`scheduler: writing the status of pod group ${gang} failed:`, e instanceof Error ? e.message : e);
    }
  }

  /** The binding cycle: write the binding, or forget the assumption and retry the pod later. */
  private async bind(pod: Pod, node: string): Promise<void> {
    const ns = pod.metadata.namespace ?? 'default';
    try {
      await this.api.bind(ns, pod.metadata.name, node);
      void this.events.record(pod, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${pod.metadata.name} to ${node}`);
    } catch (e) {
      const current = this.cache.getPod(keyOf(pod));
      // Undo the assumption unless the watch has brought a newer state of the pod meanwhile.
      if (current && current.metadata.uid === pod.metadata.uid && current.metadata.resourceVersion === pod.metadata.resourceVersion) this.cache.setPod(pod);
      if (e instanceof ApiError && e.code === 'NotFound') return;
      if (e instanceof ApiError && e.code === 'Conflict') return; // bound by someone else; the watch will tell
      this.queue.markError(pod);
      this.hooks.attempt?.('error', 0);
      this.kick();
      console.error(`scheduler: binding ${ns}/${pod.metadata.name} to ${node} failed:`, e instanceof Error ? e.message : e);
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
