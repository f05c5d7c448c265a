/** kubectl's rollout status messages for a StatefulSet and a DaemonSet, from the object alone. */
import type { StatefulSet } from '../../api/schema/statefulset.js';
import type { DaemonSet } from '../../api/schema/daemonset.js';
import type { RolloutState } from '../deployments/rollout-status.js';

const waiting = (message: string): RolloutState => ({ message, done: false, failed: false });
const onlyRolling: RolloutState = { message: 'rollout status is only available for RollingUpdate strategy type', done: true, failed: true };

/** What `kubectl rollout status statefulset/NAME` would say about s now. */
export function statefulSetRolloutState(s: StatefulSet): RolloutState {
  const st = s.status;
  if ((s.spec.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return onlyRolling;
  if (!st?.observedGeneration || (s.metadata.generation ?? 1) > st.observedGeneration) return waiting('Waiting for statefulset spec update to be observed...');
  const want = s.spec.replicas ?? 1;
  const ready = st.readyReplicas ?? 0;
  if (ready < want) return waiting(`Waiting for ${want - ready} pods to be ready...`);
  const partition = s.spec.updateStrategy?.rollingUpdate?.partition ?? 0;
  if (partition > 0) {
    const updated = st.updatedReplicas ?? 0;
    if (updated < want - partition) return waiting(`Waiting for partitioned roll out to finish: ${updated} out of ${want - partition} new pods have been updated...`);
    return { message: `partitioned roll out complete: ${updated} new pods have been updated...`, done: true, failed: false };
  }
  if (st.updateRevision !== st.currentRevision) return waiting(`waiting for statefulset rolling update to complete ${st.updatedReplicas ?? 0} pods at revision ${st.updateRevision ?? ''}...`);
  return { message: `statefulset rolling update complete ${st.currentReplicas ?? 0} pods at revision ${st.currentRevision ?? ''}...`, done: true, failed: false };
}

/** What `kubectl rollout status daemonset/NAME` would say about d now. */
export function daemonSetRolloutState(d: DaemonSet): RolloutState {
  if ((d.spec.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return onlyRolling;
  const st = d.status;
  const name = d.metadata.name;
  if (!st || (d.metadata.generation ?? 1) > (st.observedGeneration ?? 0)) return waiting('Waiting for daemon set spec update to be observed...');
  const desired = st.desiredNumberScheduled;
  const updated = st.updatedNumberScheduled ?? 0;
  if (updated < desired) return waiting(`Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...`);
  const available = st.numberAvailable ?? 0;
  if (available < desired) return waiting(`Waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available...`);
  return { message: `daemon set "${name}" successfully rolled out`, done: true, failed: false };
}
