/** kubectl's rollout status messages for a Deployment, from its status alone. */
import type { Deployment } from '../../api/schema/apps.js';

/** The line to print now, whether the rollout is done, and whether it failed. */
export interface RolloutState { message: string; done: boolean; failed: boolean }

/** What `kubectl rollout status` would say about d now. */
export function rolloutState(d: Deployment): RolloutState {
  const name = d.metadata.name;
  const s = d.status;
  if ((d.metadata.generation ?? 1) > (s?.observedGeneration ?? 0)) return { message: 'Waiting for deployment spec update to be observed...', done: false, failed: false };
  const prog = s?.conditions?.find((c) => c.type === 'Progressing');
  if (prog?.reason === 'ProgressDeadlineExceeded') return { message: `deployment "${name}" exceeded its progress deadline`, done: true, failed: true };
  const want = d.spec.replicas ?? 1;
  const updated = s?.updatedReplicas ?? 0;
  const total = s?.replicas ?? 0;
  const available = s?.availableReplicas ?? 0;
  if (updated < want) return { message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${want} new replicas have been updated...`, done: false, failed: false };
  if (total > updated) return { message: `Waiting for deployment "${name}" rollout to finish: ${total - updated} old replicas are pending termination...`, done: false, failed: false };
  if (available < updated) return { message: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...`, done: false, failed: false };
  return { message: `deployment "${name}" successfully rolled out`, done: true, failed: false };
}
