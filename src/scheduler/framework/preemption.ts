import type { Pod } from '../../api/pod.js';
import { runFilters, runPreFilters } from './cycle.js';
import { CycleState } from './cycle-state.js';
import { podPriority, type NodeInfo } from './node-info.js';
import type { Profile } from './plugin.js';
import type { Snapshot } from './snapshot.js';
import { isSuccess } from './status.js';

/** Where to put a pod that fits nowhere, and whom to evict there (most important first). */
export interface Preemption {
  node: string;
  victims: Pod[];
}

/** status.startTime as milliseconds; a pod not started yet counts as the newest (Kubernetes uses now). */
const startTime = (pod: Pod): number => {
  const t = pod.status?.startTime ? Date.parse(pod.status.startTime) : NaN;
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
};

/** Kubernetes' MoreImportantPod: higher priority, then the one that started earlier. */
const moreImportant = (a: Pod, b: Pod): number => podPriority(b) - podPriority(a) || startTime(a) - startTime(b);

/**
 * Kubernetes' SelectVictimsOnNode: take every lower-priority pod off the node; if the pod then fits,
 * put them back one at a time from the most important, keeping back as victims only those without
 * which it no longer fits. undefined when removing them all does not help.
 */
function victimsOn(pod: Pod, original: NodeInfo, profile: Profile, cycleState: CycleState): Pod[] | undefined {
  const state = cycleState.clone();
  const node = original.clone();
  const priority = podPriority(pod);
  const remove = (p: Pod): void => { node.removePod(p); for (const f of profile.preFilters ?? []) f.removePod?.(state, pod, p, node); };
  const add = (p: Pod): void => { node.addPod(p); for (const f of profile.preFilters ?? []) f.addPod?.(state, pod, p, node); };
  const potential = node.pods.filter((p) => podPriority(p) < priority).sort(moreImportant);
  if (potential.length === 0) return undefined;
  for (const p of potential) remove(p);
  if (!isSuccess(runFilters(pod, node, profile, state))) return undefined;
  const victims: Pod[] = [];
  for (const p of potential) {
    add(p);
    if (isSuccess(runFilters(pod, node, profile, state))) continue;
    remove(p);
    victims.push(p);
  }
  return victims;
}

/** Sum of (priority + 2^31) over victims: lower priorities and fewer victims both make it smaller. */
const prioritySum = (victims: Pod[]): number => victims.reduce((s, p) => s + podPriority(p) + 2 ** 31, 0);

/** The earliest start among the node's highest-priority victims. */
const earliestTopStart = (victims: Pod[]): number => {
  const top = podPriority(victims[0]!);
  return Math.min(...victims.filter((p) => podPriority(p) === top).map(startTime));
};

/**
 * Kubernetes' pickOneNodeForPreemption, without PodDisruptionBudgets: a node needing no victims;
 * else the lowest highest-victim priority, then the lowest priority sum, then the fewest victims,
 * then the latest start among the highest-priority victims, then the first node.
 */
function pickOne(candidates: Preemption[]): Preemption | undefined {
  const free = candidates.find((c) => c.victims.length === 0);
  if (free) return free;
  const criteria: ((c: Preemption) => number)[] = [
    (c) => -podPriority(c.victims[0]!),
    (c) => -prioritySum(c.victims),
    (c) => -c.victims.length,
    (c) => earliestTopStart(c.victims),
  ];
  let left = candidates;
  for (const score of criteria) {
    if (left.length <= 1) break;
    const best = Math.max(...left.map(score));
    left = left.filter((c) => score(c) === best);
  }
  return left[0];
}

/**
 * Preemption for a pod that fits no node (Kubernetes' DefaultPreemption PostFilter), pure over the
 * snapshot: on every node whose failure another pod's removal could fix (not
 * UnschedulableAndUnresolvable), find the fewest victims of strictly lower priority whose removal
 * lets the pod pass every filter of the profile, then pick one node. Pods with priority >= the
 * pod's are never victims. undefined when no node would do, or when the pod's nominated node still
 * has lower-priority pods terminating (the last preemption is still under way).
 * The caller deletes the victims and sets status.nominatedNodeName; it does not bind.
 */
export function findPreemption(pod: Pod, snapshot: Snapshot, profile: Profile): Preemption | undefined {
  const priority = podPriority(pod);
  const nominated = snapshot.nodes.find((n) => n.name === pod.status?.nominatedNodeName);
  if (nominated?.pods.some((p) => p.metadata.deletionTimestamp && podPriority(p) < priority)) return undefined;
  const state = new CycleState();
  if (!isSuccess(runPreFilters(pod, snapshot, profile, state))) return undefined;
  const candidates: Preemption[] = [];
  for (const node of snapshot.nodes) {
    const status = runFilters(pod, node, profile, state);
    if (status.code === 'UnschedulableAndUnresolvable' || status.code === 'Error') continue;
    if (isSuccess(status)) { candidates.push({ node: node.name, victims: [] }); continue; }
    const victims = victimsOn(pod, node, profile, state);
    if (victims) candidates.push({ node: node.name, victims });
  }
  return pickOne(candidates);
}
