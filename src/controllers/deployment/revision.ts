/** Revision numbers: each ReplicaSet of a Deployment carries the revision it was last rolled out as. */
import type { ReplicaSet } from '../../api/schema/apps.js';

/** The annotation on a Deployment and its ReplicaSets with the revision number. */
export const revisionAnnotation = 'deployment.kubernetes.io/revision';
/** Why a revision was made (kubectl annotate ... kubernetes.io/change-cause="..."), shown by rollout history. */
export const changeCauseAnnotation = 'kubernetes.io/change-cause';

/** The ReplicaSet's revision, 0 when it has none. */
export function revisionOf(rs: ReplicaSet): number {
  const n = Number(rs.metadata.annotations?.[revisionAnnotation] ?? '0');
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** The highest revision among ReplicaSets (0 for none). */
export const maxRevision = (rss: ReplicaSet[]): number => rss.reduce((m, r) => Math.max(m, revisionOf(r)), 0);
