/**
 * Coscheduling (after kube-scheduler's coscheduling plugin): gang members are placed all or nothing.
 * PreFilter rejects a member whose gang has fewer than minMember pods, and otherwise asks the pass to
 * decide every pending member right after it; Permit makes each reserved member wait until minMember
 * hold nodes, then allows them all; a member that finds no node waits with them (PostFilter); when
 * the pass ends short of minMember, Unreserve rejects the whole group with the reason. Nothing is
 * held past one pass, so two gangs that cannot both fit never deadlock: the first decided takes the
 * room, the other waits whole. Once minMember run, further members go one by one like any pod.
 */
import type { Pod } from '../../api/pod.js';
import { StateKey, type StateData } from '../framework/cycle-state.js';
import { PodsToActivate, podsToActivateKey, type PassHandle, type PermitPlugin, type PermitStatus } from '../framework/permit.js';
import type { PreFilterPlugin } from '../framework/plugin.js';
import type { Snapshot } from '../framework/snapshot.js';
import { success, unresolvable } from '../framework/status.js';
import { gangKey, gangsKey, missingMembers, type Gangs } from './coscheduling-gangs.js';

/** What the pass learnt about one gang: its first member, how many ran before, why members failed, whether it was allowed. */
interface GangPass { first: Pod; running: number; firstFailure?: string; allowed: boolean }

/** The gangs met in one pass (pass state, shared by the pass's cycles). */
class GangPasses implements StateData {
  readonly gangs = new Map<string, GangPass>();
  clone(): GangPasses { return this; } // pass state is never cloned for preemption
}
const passKey = new StateKey<GangPasses>('Coscheduling/pass');

function passes(handle: PassHandle): Map<string, GangPass> {
  let s = handle.state.read(passKey);
  if (!s) { s = new GangPasses(); handle.state.write(passKey, s); }
  return s.gangs;
}

/** The pod's gang with its membership data and minMember, when it is a member of a gang with a minMember. */
function gangOf(pod: Pod, snapshot: Snapshot): { gang: string; gangs: Gangs; min: number } | undefined {
  const gang = gangKey(pod);
  const gangs = gang && snapshot.extensions?.get(gangsKey);
  const min = gang && gangs ? gangs.minMember(gang, pod) : undefined;
  return gang && gangs && min !== undefined ? { gang, gangs, min } : undefined;
}

const allow: PermitStatus = { code: 'Success' };
const wait: PermitStatus = { code: 'Wait' };

/** Gang scheduling as PreFilter, PostFilter, Permit and Unreserve. */
export const coscheduling = {
  name: 'Coscheduling',
  extension: gangsKey,
  preFilter(pod, snapshot, state) {
    // Success rather than Skip when there is nothing to do: Skip is about a Filter, and this plugin has none.
    const g = gangOf(pod, snapshot);
    if (!g) return success;
    const running = g.gangs.placed(g.gang);
    if (running >= g.min) return success; // the gang stands: this member goes on its own
    const existing = running + g.gangs.pendingCount(g.gang);
    if (existing < g.min) return unresolvable(missingMembers(g.gang, existing, g.min));
    state.write(podsToActivateKey, new PodsToActivate(g.gang, () => g.gangs.pending(g.gang)));
    return success;
  },
  postFilter(pod, decision, _state, handle) {
    const g = gangOf(pod, handle.snapshot());
    if (!g) return undefined;
    let p = passes(handle).get(g.gang);
    if (!p) {
      const running = g.gangs.placed(g.gang);
      if (running >= g.min) return undefined; // the gang stands: the ordinary path (preemption) serves this member
      const existing = running + g.gangs.pendingCount(g.gang);
      if (existing < g.min) {
        // Not all members exist yet: out of the queue, without back-off, until the last one is created.
        handle.park(g.gangs.pending(g.gang));
        handle.report({ key: g.gang, podGroup: g.gangs.podGroup(g.gang), status: { phase: 'Pending', scheduled: running, message: missingMembers(g.gang, existing, g.min) } });
        return 'park';
      }
      p = { first: pod, running, allowed: false };
      passes(handle).set(g.gang, p);
    }
    p.firstFailure ??= decision.message;
    return 'wait';
  },
  permit(pod, _node, _state, handle) {
    const g = gangOf(pod, handle.snapshot());
    if (!g) return allow;
    const placed = g.gangs.placed(g.gang); // this member's reservation included
    let p = passes(handle).get(g.gang);
    if (!p) {
      if (placed - 1 >= g.min) return allow; // the gang stood before this member
      p = { first: pod, running: placed - 1, allowed: false };
      passes(handle).set(g.gang, p);
    }
    if (placed < g.min) return wait;
    p.allowed = true;
    handle.waiting.allow((w) => gangKey(w) === g.gang);
    handle.report({ key: g.gang, podGroup: g.gangs.podGroup(g.gang), status: { phase: 'Scheduled', scheduled: placed } });
    return allow;
  },
  unreserve(pod, handle) {
    const g = gangOf(pod, handle.snapshot());
    const p = g && passes(handle).get(g.gang);
    if (!g || !p) return;
    const member = (w: Pod): boolean => gangKey(w) === g.gang;
    // Allowed already: members that found no node wait on their own.
    if (p.allowed) { handle.waiting.allow(member); return; }
    const message = `pod group ${g.gang}: only ${g.gangs.placed(g.gang)} of minMember ${g.min} pods fit together; ${p.firstFailure ?? 'no node fits the rest'}`;
    handle.waiting.reject(member, message);
    handle.report({ key: g.gang, podGroup: g.gangs.podGroup(g.gang), status: { phase: 'Pending', scheduled: p.running, message }, failed: { message, about: p.first } });
  },
} satisfies PreFilterPlugin & PermitPlugin;
