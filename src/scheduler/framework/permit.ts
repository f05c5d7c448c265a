/**
 * The Permit extension point (kube-scheduler's Permit, PostFilter and Unreserve, as the coscheduling
 * plugin uses them): after a pod's cycle found a node and reserved it, Permit plugins allow the
 * binding, make the pod wait for others, or reject it. Waiting lasts at most to the end of the
 * scheduling pass (pass.ts): the pods a plugin asked to decide together are decided one after the
 * other without giving the event loop back, so a group is allowed or rejected whole in one decision.
 */
import type { Pod } from '../../api/pod.js';
import type { PodGroup } from '../../api/schema/pod-group.js';
import { StateKey, type CycleState, type StateData } from './cycle-state.js';
import type { Decision } from './cycle.js';
import type { PluginBase } from './plugin.js';
import type { Snapshot } from './snapshot.js';
import type { WaitingPods } from './waiting-pods.js';

/** A cycle that found no node. */
export type Unschedulable = Extract<Decision, { node?: undefined }>;

/** Permit's answer for a pod that has a node reserved. */
export type PermitStatus =
  | { code: 'Success' }
  /** Hold the reservation until the plugin allows or rejects the pod (at the latest when the pass ends). */
  | { code: 'Wait' }
  | { code: 'Unschedulable'; message: string };

/**
 * What a PostFilter makes of a pod that found no node. 'wait': hold it with the pods waiting in this
 * pass (allowed: it waits on its own as unschedulable; rejected: with the rejection's message).
 * 'park': out of the queue until a cache extension wakes it, since it waits for something no node
 * change brings (more pods of its group). undefined: not this plugin's; the ordinary path follows
 * (preemption, PodScheduled=False).
 */
export type PostFilterVerdict = 'wait' | 'park' | undefined;

/** The outcome for a group decided together, which the scheduler writes (the PodGroup's status, an event). */
export interface GroupReport {
  /** namespace/name of the group. */
  key: string;
  /** Its PodGroup object, when there is one: its status is written. */
  podGroup: PodGroup | undefined;
  status: NonNullable<PodGroup['status']>;
  /** The group cannot be placed: a FailedScheduling event with this message, about the PodGroup or else this pod. */
  failed?: { message: string; about: Pod };
}

/** What the framework gives Permit plugins during a pass (kube-scheduler's framework handle). */
export interface PassHandle {
  /** State shared by the cycles of one pass (each pod's cycle has its own CycleState). */
  readonly state: CycleState;
  /** The pass's waiting pods: allow or reject them. */
  readonly waiting: WaitingPods;
  /** The cluster as the cycles see it now (reservations included). */
  snapshot(): Snapshot;
  /** Take these pods out of the queue until a cache extension wakes them. */
  park(pods: readonly Pod[]): void;
  /** The group's outcome; the last report per key wins. */
  report(r: GroupReport): void;
}

/** A plugin with a say between a pod's reservation and its binding. */
export interface PermitPlugin extends PluginBase {
  permit(pod: Pod, node: string, state: CycleState, handle: PassHandle): PermitStatus;
  /** The pod's cycle found no node (kube-scheduler's PostFilter). */
  postFilter?(pod: Pod, decision: Unschedulable, state: CycleState, handle: PassHandle): PostFilterVerdict;
  /**
   * The pass ends and pod, which this plugin made wait, was neither allowed nor rejected (kube-scheduler's
   * Permit timeout): allow or reject it, and its group, through handle.waiting. A pod left waiting is
   * rejected with a generic reason.
   */
  unreserve?(pod: Pod, handle: PassHandle): void;
}

/**
 * Pods a PreFilter asks the pass to decide right after this one (kube-scheduler's PodsToActivate): the
 * members of `group`, listed only the first time the pass meets the group (every member's PreFilter asks).
 */
export class PodsToActivate implements StateData {
  constructor(readonly group: string, readonly pods: () => readonly Pod[]) {}
  clone(): PodsToActivate { return this; } // never changed once written
}

/** Where a PreFilter writes PodsToActivate in its cycle's state. */
export const podsToActivateKey = new StateKey<PodsToActivate>('PodsToActivate');
