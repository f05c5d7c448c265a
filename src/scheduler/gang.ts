import type { Pod } from '../api/pod.js';
import { GangAnnotations } from '../api/annotations.js';
import { decide, type Sampling } from './framework/cycle.js';
import type { NodeInfo } from './framework/node-info.js';
import type { Profile } from './framework/plugin.js';
import type { Snapshot } from './framework/snapshot.js';

/** namespace/group of a gang member, or undefined for a pod on its own. */
export function gangKey(pod: Pod): string | undefined {
  const group = pod.metadata.annotations?.[GangAnnotations.group];
  return group ? `${pod.metadata.namespace ?? 'default'}/${group}` : undefined;
}

/** minMember from the pod's annotation (a Job's minAvailable), when no PodGroup object says. */
export function annotatedMinMember(pod: Pod): number | undefined {
  const n = Number(pod.metadata.annotations?.[GangAnnotations.minAvailable]);
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}

/** Why a gang waits before it can even be tried: not all of its members exist yet. */
export const missingMembers = (group: string, existing: number, minMember: number): string =>
  `pod group ${group}: ${existing} of ${minMember} pods exist; waiting for ${minMember - existing} more to be created`;

/** Where each placed member goes, or why the gang waits. */
export type GangDecision =
  | { placements: { pod: Pod; node: string }[] }
  | { message: string };

/**
 * One all-or-nothing decision for a gang: place the pending members one after another on a
 * copy-on-write view of the snapshot (each sees the ones placed before it), and keep the placements
 * only when, with the members already running, at least minMember have nodes. Nothing is held while
 * a gang waits, so two gangs that cannot both fit never deadlock: whichever is decided first gets
 * the room, the other waits whole. Pure: the snapshot is not changed.
 */
export function placeGang(group: string, pending: readonly Pod[], running: number, minMember: number, snapshot: Snapshot, profile: Profile, sampling?: (all: number) => Sampling): GangDecision {
  const needed = minMember - running;
  if (pending.length < needed) return { message: missingMembers(group, running + pending.length, minMember) };
  const nodes: NodeInfo[] = [...snapshot.nodes];
  const copied = new Set<number>();
  const index = new Map(nodes.map((n, i) => [n.name, i]));
  // The node lists the cache keeps would miss members placed here: let the plugins look at every node.
  const view: Snapshot = { nodes, imageNodeCounts: snapshot.imageNodeCounts, nominatedPods: snapshot.nominatedPods };
  const placements: { pod: Pod; node: string }[] = [];
  let firstFailure: string | undefined;
  for (const pod of pending) {
    const { decision } = decide(pod, view, profile, undefined, sampling?.(nodes.length));
    if (decision.node === undefined) { firstFailure ??= decision.message; continue; }
    const i = index.get(decision.node)!;
    if (!copied.has(i)) { nodes[i] = nodes[i]!.clone(); copied.add(i); }
    nodes[i]!.addPod({ ...pod, spec: { ...pod.spec, nodeName: decision.node } });
    placements.push({ pod, node: decision.node });
  }
  if (placements.length >= needed) return { placements };
  return { message: `pod group ${group}: only ${running + placements.length} of minMember ${minMember} pods fit together; ${firstFailure ?? 'no node fits the rest'}` };
}
