/** A Deployment's status counts and its Available and Progressing conditions, as Kubernetes words them. */
import type { Deployment, ReplicaSet, WorkloadCondition } from '../../api/schema/apps.js';

type DeploymentStatus = NonNullable<Deployment['status']>;

/** The counts, summed over the Deployment's ReplicaSets. */
export function statusCounts(d: Deployment, newRs: ReplicaSet | undefined, all: ReplicaSet[]): DeploymentStatus {
  const sum = (f: (r: ReplicaSet) => number | undefined): number => all.reduce((s, r) => s + (f(r) ?? 0), 0);
  const available = sum((r) => r.status?.availableReplicas);
  return {
    observedGeneration: d.metadata.generation ?? 1,
    replicas: sum((r) => r.status?.replicas),
    updatedReplicas: newRs?.status?.replicas ?? 0,
    readyReplicas: sum((r) => r.status?.readyReplicas),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, (d.spec.replicas ?? 1) - available),
  };
}

/** Every replica updated and available, and no old one left: the rollout is done. */
export function isComplete(d: Deployment, s: DeploymentStatus): boolean {
  const want = d.spec.replicas ?? 1;
  return s.updatedReplicas === want && s.replicas === want && s.availableReplicas === want && s.observedGeneration === (d.metadata.generation ?? 1);
}

function setCondition(list: WorkloadCondition[], c: Omit<WorkloadCondition, 'lastUpdateTime' | 'lastTransitionTime'>, now: string, touch: boolean): WorkloadCondition[] {
  const prev = list.find((x) => x.type === c.type);
  const same = prev !== undefined && prev.status === c.status && prev.reason === c.reason && prev.message === c.message;
  const next: WorkloadCondition = {
    ...c,
    lastUpdateTime: same && !touch ? prev.lastUpdateTime ?? now : now,
    lastTransitionTime: prev !== undefined && prev.status === c.status ? prev.lastTransitionTime ?? now : now,
  };
  return [...list.filter((x) => x.type !== c.type), next];
}

/** What progress looks like between two statuses (new pods made, updated, ready or available). */
const progressed = (a: DeploymentStatus | undefined, b: DeploymentStatus): boolean =>
  a === undefined || a.updatedReplicas !== b.updatedReplicas || a.readyReplicas !== b.readyReplicas
  || a.availableReplicas !== b.availableReplicas || a.replicas !== b.replicas;

/**
 * The full status: counts, Available (minimum availability per maxUnavailable), and Progressing
 * (NewReplicaSetAvailable when done, ReplicaSetUpdated while pods move, ProgressDeadlineExceeded when
 * nothing moved for progressDeadlineSeconds, DeploymentPaused while paused).
 */
export function deploymentStatus(d: Deployment, newRs: ReplicaSet | undefined, all: ReplicaSet[], maxUnavailable: number, nowMs: number): DeploymentStatus {
  const counts = statusCounts(d, newRs, all);
  const now = new Date(nowMs).toISOString();
  let conds = d.status?.conditions ?? [];
  const want = d.spec.replicas ?? 1;
  conds = (counts.availableReplicas ?? 0) >= want - maxUnavailable
    ? setCondition(conds, { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }, now, false)
    : setCondition(conds, { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' }, now, false);
  const rsName = newRs?.metadata.name ?? d.metadata.name;
  const prog = conds.find((c) => c.type === 'Progressing');
  if (d.spec.paused) {
    conds = setCondition(conds, { type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' }, now, false);
  } else if (isComplete(d, counts)) {
    conds = setCondition(conds, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rsName}" has successfully progressed.` }, now, false);
  } else {
    const generationMoved = d.status?.observedGeneration !== counts.observedGeneration;
    const moving = generationMoved || progressed(d.status, counts) || prog?.reason === 'DeploymentPaused' || prog === undefined;
    const since = prog?.lastUpdateTime ? Date.parse(prog.lastUpdateTime) : nowMs;
    const deadline = (d.spec.progressDeadlineSeconds ?? 600) * 1000;
    const wasComplete = prog?.reason === 'NewReplicaSetAvailable';
    if (moving || wasComplete) {
      conds = setCondition(conds, { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rsName}" is progressing.` }, now, true);
    } else if (prog?.reason !== 'ProgressDeadlineExceeded' && nowMs - since > deadline) {
      conds = setCondition(conds, { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${rsName}" has timed out progressing.` }, now, false);
    }
  }
  const order = ['Available', 'Progressing'];
  return { ...counts, conditions: conds.sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type)) };
}
