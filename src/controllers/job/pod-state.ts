/** How the Job controller sees one of its pods. */
import type { Pod } from '../../api/pod.js';
import { JobLabels } from '../../api/job-labels.js';

/** Running or waiting to run, and not being deleted. */
export const isActive = (p: Pod): boolean => !isFinished(p) && !p.metadata.deletionTimestamp;
/** Succeeded or Failed. */
export const isFinished = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
/** The pod's Ready condition is True. */
export const isReady = (p: Pod): boolean => (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** The completion index of an Indexed Job's pod, from its annotation; undefined when absent or malformed. */
export function indexOf(p: Pod): number | undefined {
  const v = p.metadata.annotations?.[JobLabels.completionIndex] ?? p.metadata.labels?.[JobLabels.completionIndex];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** Failures of this pod's index before it was made (Kubernetes' index-failure-count annotation). */
export function priorFailures(p: Pod): number {
  const v = p.metadata.annotations?.[JobLabels.indexFailureCount];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : 0;
}

/** When the pod finished: its latest container finishedAt, else undefined. */
export function finishedAt(p: Pod): number | undefined {
  let at: number | undefined;
  for (const cs of p.status?.containerStatuses ?? []) {
    const t = cs.state.terminated?.finishedAt;
    const ms = t ? Date.parse(t) : NaN;
    if (!Number.isNaN(ms)) at = Math.max(at ?? 0, ms);
  }
  return at;
}
