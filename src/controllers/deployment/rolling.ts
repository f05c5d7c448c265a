/** One step of a rolling update, as Kubernetes computes it: pure over the ReplicaSets' counts. */

/** What the step needs of one ReplicaSet. */
export interface RsCounts {
  name: string;
  /** spec.replicas */
  replicas: number;
  /** status.availableReplicas */
  available: number;
  /** creation time (ms), oldest scaled down first */
  created: number;
}

/** The inputs: desired replicas, resolved maxSurge and maxUnavailable, the new and the old ReplicaSets. */
export interface RollingInput {
  replicas: number;
  surge: number;
  unavailable: number;
  newRs: RsCounts;
  oldRss: RsCounts[];
}

/** New spec.replicas per ReplicaSet name, only for those that change. */
export type ScaleChanges = Map<string, number>;

// A status written before a scale-down still counts the pods being removed; never trust more
// available pods than the ReplicaSet is now asked to keep.
const availableOf = (r: RsCounts): number => Math.min(r.available, r.replicas);

/** Scale the new ReplicaSet up as far as maxSurge allows (or down to replicas); empty when it is there. */
export function scaleUpNew(i: RollingInput): ScaleChanges {
  const out: ScaleChanges = new Map();
  const n = i.newRs.replicas;
  if (n > i.replicas) out.set(i.newRs.name, i.replicas);
  if (n >= i.replicas) return out;
  const total = n + i.oldRss.reduce((s, r) => s + r.replicas, 0);
  const room = i.replicas + i.surge - total;
  if (room > 0) out.set(i.newRs.name, n + Math.min(room, i.replicas - n));
  return out;
}

/**
 * Scale old ReplicaSets down as far as maxUnavailable allows: first their unavailable pods (these cost
 * nothing), then available ones, oldest ReplicaSet first, keeping replicas - maxUnavailable available.
 */
export function scaleDownOld(i: RollingInput): ScaleChanges {
  const out: ScaleChanges = new Map();
  const olds = [...i.oldRss].sort((a, b) => a.created - b.created).map((r) => ({ ...r }));
  if (olds.every((r) => r.replicas === 0)) return out;
  const all = [i.newRs, ...olds];
  const minAvailable = i.replicas - i.unavailable;
  const newUnavailable = i.newRs.replicas - availableOf(i.newRs);
  const maxScaledDown = all.reduce((s, r) => s + r.replicas, 0) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return out;
  let cleaned = 0;
  for (const r of olds) {
    if (cleaned >= maxScaledDown) break;
    const unhealthy = r.replicas - availableOf(r);
    if (unhealthy <= 0) continue;
    const d = Math.min(maxScaledDown - cleaned, unhealthy);
    r.replicas -= d;
    cleaned += d;
    out.set(r.name, r.replicas);
  }
  const available = availableOf(i.newRs) + olds.reduce((s, r) => s + availableOf(r), 0);
  let budget = available - minAvailable;
  for (const r of olds) {
    if (budget <= 0) break;
    if (r.replicas === 0) continue;
    const d = Math.min(r.replicas, budget);
    r.replicas -= d;
    budget -= d;
    out.set(r.name, r.replicas);
  }
  return out;
}

/** One step: scale the new ReplicaSet up if it can, otherwise the old ones down. */
export function rollingStep(i: RollingInput): ScaleChanges {
  const up = scaleUpNew(i);
  return up.size > 0 ? up : scaleDownOld(i);
}
