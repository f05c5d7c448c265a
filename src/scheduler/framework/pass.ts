/**
 * One scheduling pass: the popped pod's cycle, then the cycles of the pods its PreFilters asked to
 * decide with it, one after the other without an await, so nothing else changes the cluster in
 * between. Each cycle reserves its node (host.assume) before Permit; pods that wait are allowed or
 * rejected by a plugin, and whatever still waits when the pass ends is handed to its plugin's
 * Unreserve (kube-scheduler's Permit timeout). Rejected reservations are undone (host.forget). Pure
 * apart from the host's reservations: the caller does the API writes the outcomes ask for.
 */
import type { Pod } from '../../api/pod.js';
import { CycleState } from './cycle-state.js';
import { decide, type Sampling } from './cycle.js';
import { podsToActivateKey, type GroupReport, type PodsToActivate, type PassHandle, type PermitPlugin, type Unschedulable } from './permit.js';
import type { Profile } from './plugin.js';
import type { Snapshot } from './snapshot.js';
import { WaitingPods } from './waiting-pods.js';

/** What became of one pod of the pass. */
export type Outcome =
  /** Bind it (it is reserved on node already). */
  | { kind: 'bind'; pod: Pod; node: string }
  /** Found no node and no plugin took it over: preemption, PodScheduled=False, an event. */
  | { kind: 'unschedulable'; pod: Pod; decision: Unschedulable }
  /** Rejected with its group: PodScheduled=False with this message. */
  | { kind: 'rejected'; pod: Pod; message: string }
  /** Found no node but its group was allowed: it waits on its own for a cluster event. */
  | { kind: 'unplaced'; pod: Pod }
  /** Out of the queue until a cache extension wakes it. */
  | { kind: 'parked'; pod: Pod };

/** Everything one pass decided. */
export interface PassResult {
  outcomes: Outcome[];
  groups: GroupReport[];
}

/** What a pass needs from the scheduler: the cache, its reservations and the queue. */
export interface PassHost {
  snapshot(): Snapshot;
  /** Reserve: the pod counts on node from now on. */
  assume(pod: Pod, node: string): void;
  /** Undo a reservation: the pod as it was before assume. */
  forget(pod: Pod): void;
  /** Take a pod out of the queue to decide it in this pass; its current object, or undefined when it needs no node any more. */
  take(pod: Pod): Pod | undefined;
  /** Node sampling for a cycle over `all` nodes, and how far the cycle got. */
  sampling?(all: number): Sampling | undefined;
  sampled?(processed: number, all: number): void;
}

const key = (p: Pod): string => `${p.metadata.namespace ?? 'default'}/${p.metadata.name}`;

/** Run the pass that starts with `first` (already taken out of the queue). */
export function runPass(first: Pod, profile: Profile, host: PassHost): PassResult {
  const permits = profile.permits ?? [];
  const order: Pod[] = [first];
  const seen = new Set([key(first)]);
  const groupsActivated = new Set<string>();
  const outcomes: Outcome[] = [];
  const groups = new Map<string, GroupReport>();
  const waiting = new WaitingPods();
  const handle: PassHandle = {
    state: new CycleState(),
    waiting,
    snapshot: () => host.snapshot(),
    park(pods) {
      for (const p of pods) {
        if (seen.has(key(p))) continue;
        const current = host.take(p);
        seen.add(key(p));
        if (current) outcomes.push({ kind: 'parked', pod: current });
      }
    },
    report(r) { groups.set(r.key, r); },
  };
  const settle = (): void => {
    const { allowed, rejected } = waiting.takeVerdicts();
    for (const w of allowed) outcomes.push(w.node !== undefined ? { kind: 'bind', pod: w.pod, node: w.node } : { kind: 'unplaced', pod: w.pod });
    for (const { w, message } of rejected) {
      if (w.node !== undefined) host.forget(w.pod);
      outcomes.push({ kind: 'rejected', pod: w.pod, message });
    }
  };

  for (let i = 0; i < order.length; i++) {
    const pod = order[i]!;
    const activate = cycle(pod, permits, host, handle, outcomes, profile);
    settle();
    if (!activate || groupsActivated.has(activate.group)) continue;
    groupsActivated.add(activate.group);
    for (const p of activate.pods()) {
      if (seen.has(key(p))) continue;
      const current = host.take(p);
      seen.add(key(p));
      if (current) order.push(current);
    }
  }
  // The pass is over: nothing may wait past it (so no reservation outlives one decision).
  const byName = new Map(permits.map((p) => [p.name, p]));
  for (const pod of waiting.pods()) {
    const w = waiting.get(pod);
    if (w) byName.get(w.plugin)?.unreserve?.(pod, handle); // else settled by an earlier Unreserve of its group
  }
  waiting.reject(() => true, 'the scheduling pass ended before a Permit plugin allowed the pod');
  settle();
  // In the order the pods were decided (a group's members come out together when it is allowed).
  const position = new Map(order.map((p, i) => [p, i]));
  outcomes.sort((a, b) => (position.get(a.pod) ?? order.length) - (position.get(b.pod) ?? order.length));
  return { outcomes, groups: [...groups.values()] };
}

/** One pod's cycle: filter and score, then reserve and Permit, or PostFilter. Returns the pods to decide next. */
function cycle(pod: Pod, permits: readonly PermitPlugin[], host: PassHost, handle: PassHandle, outcomes: Outcome[], profile: Profile): PodsToActivate | undefined {
  const state = new CycleState();
  const snapshot = host.snapshot();
  const all = snapshot.nodes.length;
  const { decision, processed } = decide(pod, snapshot, profile, state, host.sampling?.(all));
  host.sampled?.(processed, all);
  const activate = state.read(podsToActivateKey);
  if (decision.node === undefined) {
    for (const p of permits) {
      const verdict = p.postFilter?.(pod, decision, state, handle);
      if (verdict === 'wait') { handle.waiting.add({ pod, decision, plugin: p.name }); return activate; }
      if (verdict === 'park') { outcomes.push({ kind: 'parked', pod }); return undefined; }
    }
    outcomes.push({ kind: 'unschedulable', pod, decision });
    return activate;
  }
  host.assume(pod, decision.node);
  let waitFor: string | undefined;
  for (const p of permits) {
    const status = p.permit(pod, decision.node, state, handle);
    if (status.code === 'Unschedulable') {
      host.forget(pod);
      outcomes.push({ kind: 'rejected', pod, message: status.message });
      return activate;
    }
    if (status.code === 'Wait') waitFor ??= p.name;
  }
  if (waitFor !== undefined) handle.waiting.add({ pod, node: decision.node, plugin: waitFor });
  else outcomes.push({ kind: 'bind', pod, node: decision.node });
  return activate;
}
