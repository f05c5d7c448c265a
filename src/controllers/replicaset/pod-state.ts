/** What a ReplicaSet counts about its pods: active, ready, available, and which to delete first. */
import type { Pod } from '../../api/pod.js';

/** Not finished and not being deleted: the pods that count towards replicas. */
export const isActive = (p: Pod): boolean =>
  p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && p.metadata.deletionTimestamp === undefined;

const readyCondition = (p: Pod): { status: string; lastTransitionTime?: string } | undefined => p.status?.conditions?.find((c) => c.type === 'Ready');

/** The pod's Ready condition is True. */
export const isReady = (p: Pod): boolean => readyCondition(p)?.status === 'True';

/** When the pod became ready (ms), or undefined when it is not ready. */
export function readySince(p: Pod): number | undefined {
  const c = readyCondition(p);
  if (c?.status !== 'True') return undefined;
  const t = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

/** Ready for at least minReadySeconds at now (Kubernetes' "available"). */
export function isAvailable(p: Pod, minReadySeconds: number, now: number): boolean {
  const since = readySince(p);
  if (since === undefined) return false;
  return minReadySeconds === 0 || since + minReadySeconds * 1000 <= now;
}

const phaseRank = (p: Pod): number => (p.status?.phase === 'Pending' || p.status?.phase === undefined ? 0 : p.status.phase === 'Unknown' ? 1 : 2);
const restarts = (p: Pod): number => Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount));
const created = (p: Pod): number => Date.parse(p.metadata.creationTimestamp ?? '') || 0;

/**
 * Kubernetes' order for scaling down: the pod that costs least to lose first. Unscheduled before
 * scheduled, Pending before Unknown before Running, not ready before ready, ready for less time before
 * longer, more restarts before fewer, newer before older.
 */
export function deletionOrder(a: Pod, b: Pod): number {
  const sa = a.spec.nodeName ? 1 : 0;
  const sb = b.spec.nodeName ? 1 : 0;
  if (sa !== sb) return sa - sb;
  if (phaseRank(a) !== phaseRank(b)) return phaseRank(a) - phaseRank(b);
  const ra = isReady(a) ? 1 : 0;
  const rb = isReady(b) ? 1 : 0;
  if (ra !== rb) return ra - rb;
  const ta = readySince(a);
  const tb = readySince(b);
  if (ta !== undefined && tb !== undefined && ta !== tb) return tb - ta;
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  return created(b) - created(a);
}

/** The n pods to delete when scaling down, in the order above. */
export const podsToDelete = (pods: Pod[], n: number): Pod[] => [...pods].sort(deletionOrder).slice(0, Math.max(0, n));
