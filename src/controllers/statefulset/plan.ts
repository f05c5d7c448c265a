/**
 * The StatefulSet controller's decision, pure: which ordinals to create and which pods to delete
 * now, as Kubernetes' StatefulSetControl does in one pass. OrderedReady waits for each pod to be
 * Running and Ready before the next, and scales down from the highest ordinal one at a time;
 * Parallel does all at once. RollingUpdate replaces one pod at a time, highest ordinal first, down to
 * the partition, each only once those above it are Ready at the update revision; OnDelete never does.
 */

/** What the plan needs to know about one pod of the set. */
export interface OrdinalPod {
  name: string;
  ordinal: number;
  /** Its controller-revision-hash label. */
  revision: string | undefined;
  phase: string | undefined;
  ready: boolean;
  terminating: boolean;
}

/** The set as the plan sees it. */
export interface SetView {
  replicas: number;
  /** ordinals.start (default 0). */
  start: number;
  parallel: boolean;
  rollingUpdate: boolean;
  partition: number;
  currentRevision: string;
  updateRevision: string;
}

/** What to do now: create these ordinals (at this revision), delete these pods (by name). */
export interface SetPlan {
  create: { ordinal: number; revision: string }[];
  delete: string[];
}

const healthy = (p: OrdinalPod): boolean => p.phase === 'Running' && p.ready && !p.terminating;
const finished = (p: OrdinalPod): boolean => p.phase === 'Failed' || p.phase === 'Succeeded';

/** The revision a new pod at this ordinal gets: the current one below the partition, else the update one. */
export function revisionFor(set: SetView, ordinal: number): string {
  return set.rollingUpdate && ordinal - set.start < set.partition ? set.currentRevision : set.updateRevision;
}

/** One pass of the StatefulSet controller over its pods. */
export function planStatefulSet(set: SetView, pods: readonly OrdinalPod[]): SetPlan {
  const out: SetPlan = { create: [], delete: [] };
  const end = set.start + set.replicas;
  const byOrdinal = new Map(pods.map((p) => [p.ordinal, p]));
  const condemned = pods.filter((p) => p.ordinal < set.start || p.ordinal >= end).sort((a, b) => b.ordinal - a.ordinal);

  // Replicas in ordinal order: a finished pod is deleted (it comes back next pass), a missing one made.
  for (let i = set.start; i < end; i++) {
    const p = byOrdinal.get(i);
    if (p === undefined) {
      out.create.push({ ordinal: i, revision: revisionFor(set, i) });
      if (!set.parallel) return out;
      continue;
    }
    if (finished(p) && !p.terminating) {
      out.delete.push(p.name);
      if (!set.parallel) return out;
      continue;
    }
    if (!set.parallel && !healthy(p)) return out;
  }

  // Scale down, highest ordinal first; OrderedReady one at a time and only when the rest are healthy.
  for (const p of condemned) {
    if (p.terminating) { if (!set.parallel) return out; continue; }
    if (!set.parallel && pods.some((q) => q !== p && !healthy(q) && !q.terminating)) return out;
    out.delete.push(p.name);
    if (!set.parallel) return out;
  }
  if (out.create.length > 0 || out.delete.length > 0 || condemned.length > 0) return out;

  // RollingUpdate: from the highest ordinal down to the partition, one pod at a time.
  if (!set.rollingUpdate) return out;
  for (let i = end - 1; i >= set.start + set.partition; i--) {
    const p = byOrdinal.get(i);
    if (p === undefined) return out;
    if (p.revision !== set.updateRevision && !p.terminating) { out.delete.push(p.name); return out; }
    if (!healthy(p)) return out;
  }
  return out;
}

/** StatefulSet status counts from its pods (terminating ones excluded, as Kubernetes counts). */
export function setCounts(set: SetView, pods: readonly OrdinalPod[], available: (p: OrdinalPod) => boolean): {
  replicas: number; readyReplicas: number; currentReplicas: number; updatedReplicas: number; availableReplicas: number;
} {
  const live = pods.filter((p) => !p.terminating && !finished(p));
  return {
    replicas: live.length,
    readyReplicas: live.filter((p) => p.ready).length,
    currentReplicas: live.filter((p) => p.revision === set.currentRevision).length,
    updatedReplicas: live.filter((p) => p.revision === set.updateRevision).length,
    availableReplicas: live.filter((p) => p.ready && available(p)).length,
  };
}

/** The ordinal of NAME-i, or undefined when the pod's name is not the set's. */
export function ordinalOf(setName: string, podName: string): number | undefined {
  if (!podName.startsWith(`${setName}-`)) return undefined;
  const rest = podName.slice(setName.length + 1);
  return /^(0|[1-9][0-9]*)$/.test(rest) ? Number(rest) : undefined;
}
