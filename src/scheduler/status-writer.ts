import type { ApiClient } from '../client/types.js';
import type { Pod, PodCondition } from '../api/pod.js';
import type { PriorityClass } from '../api/schema/priority-class.js';
import type { PodGroup } from '../api/schema/pod-group.js';
import type { Clock } from '../api/clock.js';
import { ApiError } from '../api/errors.js';
import { EventRecorder } from '../client/kit/events.js';
import { findPreemption, type Preemption } from './framework/preemption.js';
import type { GroupReport, Unschedulable } from './framework/permit.js';
import type { Profile } from './framework/plugin.js';
import type { Snapshot } from './framework/snapshot.js';

/**
 * The scheduler's API writes about its decisions (the cycle itself does none): Scheduled and
 * FailedScheduling events, PodScheduled=False with the reason, preemption's deletions and
 * nominatedNodeName, and a PodGroup's status.
 */
export class StatusWriter {
  private readonly events: EventRecorder;

  /** remember: the answer of a PodGroup status write, so the next write starts from it. */
  constructor(private readonly api: ApiClient, private readonly clock: Clock, private readonly remember: (pg: PodGroup) => void) {
    this.events = new EventRecorder(api, 'default-scheduler', () => new Date(clock.now()));
  }

  /** The pod was bound to node. */
  scheduled(pod: Pod, node: string): void {
    const ns = pod.metadata.namespace ?? 'default';
    void this.events.record(pod, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${pod.metadata.name} to ${node}`);
  }

  /** A pod on its own found no node: preempt for it where that helps, then say why it waits. */
  async unschedulable(pod: Pod, decision: Unschedulable, snapshot: Snapshot, profile: Profile): Promise<void> {
    const preemption = await this.preempt(pod, snapshot, profile);
    await this.condition(pod, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: decision.message }, preemption?.node);
    await this.events.record(pod, 'Warning', 'FailedScheduling', decision.message);
  }

  /** A pod rejected with its group: PodScheduled=False with the group's reason (the event goes on the group). */
  async rejected(pod: Pod, message: string): Promise<void> {
    await this.condition(pod, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message });
  }

  /** What a pass decided for a group: its FailedScheduling event, and its PodGroup's status when that changed. */
  async group(r: GroupReport): Promise<void> {
    if (r.failed) await this.events.record(r.podGroup ?? r.failed.about, 'Warning', 'FailedScheduling', r.failed.message);
    const pg = r.podGroup;
    if (!pg || JSON.stringify(pg.status ?? {}) === JSON.stringify(r.status)) return;
    try {
      this.remember(await this.api.updateStatus<PodGroup>('podgroups', { ...pg, status: r.status }));
    } catch (e) {
      // Changed or deleted meanwhile: the watch brings the new object, and the next decision writes again.
      if (!(e instanceof ApiError && (e.code === 'Conflict' || e.code === 'NotFound'))) console.error(`scheduler: writing the status of pod group ${r.key} failed:`, e instanceof Error ? e.message : e);
    }
  }

  /**
   * Kubernetes' DefaultPreemption PostFilter: evict lower-priority pods (gracefully, through the API)
   * so this one fits on a node later. The pod is tried again once the victims are gone (their deletion
   * is a cluster event); until then findPreemption waits on the nominated node.
   */
  private async preempt(pod: Pod, snapshot: Snapshot, profile: Profile): Promise<Preemption | undefined> {
    const found = findPreemption(pod, snapshot, profile);
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

  private async condition(pod: Pod, condition: PodCondition, nominatedNodeName?: string): Promise<void> {
    const existing = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    const nominated = nominatedNodeName ?? pod.status?.nominatedNodeName;
    if (existing && existing.status === condition.status && existing.message === condition.message && nominated === pod.status?.nominatedNodeName) return;
    const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    conditions.push({ ...condition, lastTransitionTime: new Date(this.clock.now()).toISOString() });
    const status = { ...pod.status, phase: 'Pending' as const, conditions };
    if (nominated !== undefined) status.nominatedNodeName = nominated;
    try {
      await this.api.updateStatus('pods', { ...pod, status });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e; // a stale or deleted pod: the watch brings the new state
    }
  }
}
