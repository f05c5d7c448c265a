import type { Pod, PodStatus, PodCondition, ContainerStatus, ContainerState } from '../../api/pod.js';
import { healthCondition, HEALTH_CONDITION, type HealthState } from '../../api/healthcheck.js';
import type { ContainerInfo } from '../../runtime/types.js';
import type { ContainerSlot } from '../container-slot.js';
import { policyPod, shouldRestart } from '../restart-policy.js';
import { planInit } from './init-plan.js';
import { containerHealth } from '../probes/probes.js';
import { StatusLimits, truncateText } from '../../api/status-limits.js';

export type ContainerStateTerminated = NonNullable<ContainerState['terminated']>;

/** The terminated state of a stopped runtime instance, with Kubernetes' reasons. */
export function terminatedState(info: ContainerInfo): ContainerStateTerminated {
  const exitCode = info.exitCode ?? 255;
  const reason = info.oomKilled ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error';
  const t: ContainerStateTerminated = { exitCode, reason, containerID: `lantern://${info.id}` };
  if (exitCode > 128 && exitCode < 160) t.signal = exitCode - 128;
  if (info.startedAt) t.startedAt = info.startedAt;
  if (info.finishedAt) t.finishedAt = info.finishedAt;
  return t;
}

/** A container that stopped and will not be started again (its policy, or the user stopped it). */
export function isFinal(pod: Pod, slot: ContainerSlot): boolean {
  const term = slot.failedStart ?? (slot.current?.status === 'stopped' ? terminatedState(slot.current) : undefined);
  return term !== undefined && !shouldRestart(policyPod(pod, slot.name), term.exitCode, slot.attempt);
}

function containerStatus(pod: Pod, slot: ContainerSlot, image: string, now: number): ContainerStatus {
  const cur = slot.current;
  let state: ContainerState;
  if (cur && (cur.status === 'running' || cur.status === 'created') && !slot.failedStart) {
    state = cur.status === 'running' ? { running: { startedAt: cur.startedAt } } : { waiting: { reason: 'ContainerCreating' } };
  } else {
    const term = slot.failedStart ?? (cur?.status === 'stopped' ? terminatedState(cur) : undefined);
    if (term && !isFinal(pod, slot) && slot.backoffUntil !== undefined && slot.backoffUntil > now) {
      state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off restarting failed container ${slot.name} in pod ${pod.metadata.name}` } };
    } else if (term) {
      state = { terminated: term };
    } else {
      state = { waiting: slot.waiting ?? { reason: 'ContainerCreating' } };
    }
  }
  const spec = pod.spec.containers.find((c) => c.name === slot.name) ?? pod.spec.initContainers?.find((c) => c.name === slot.name);
  const health = containerHealth(spec, slot, state.running !== undefined);
  const status: ContainerStatus = {
    name: slot.name,
    state,
    ready: health.ready,
    restartCount: Math.max(0, slot.attempt),
    image,
    started: health.started,
  };
  if (slot.waiting && state.waiting && state.waiting.reason === 'ContainerCreating') state.waiting = slot.waiting;
  const last = state.waiting?.reason === 'CrashLoopBackOff' ? slot.failedStart ?? (cur ? terminatedState(cur) : undefined) : slot.lastTerminated;
  if (last) status.lastState = { terminated: last };
  if (cur) { status.containerID = `lantern://${cur.id}`; status.imageID = cur.labels['lantern.container.image-id']; }
  // An error's text (a registry's answer, runc's stderr) can be long; the API refuses messages over its limit.
  for (const st of [status.state, status.lastState]) {
    for (const m of [st?.waiting, st?.terminated]) if (m?.message !== undefined) m.message = truncateText(m.message, StatusLimits.message);
  }
  return status;
}

const healthRank = { healthy: 0, starting: 1, unhealthy: 2 } as const;

/** Docker's health of the running containers that have a healthcheck (the worst of them), as a condition. */
function dockerHealthCondition(pod: Pod, slots: Map<string, ContainerSlot>, at: string): PodCondition | undefined {
  let worst: HealthState | undefined;
  for (const c of pod.spec.containers) {
    const slot = slots.get(c.name);
    const h = slot?.dockerHealth;
    if (!h || slot.current?.id !== h.containerId || slot.current.status !== 'running') continue;
    if (!worst || healthRank[h.status] > healthRank[worst.status]) worst = h;
  }
  if (!worst) return undefined;
  const cond = healthCondition({ status: worst.status, failingStreak: worst.failingStreak, ...(worst.output !== undefined ? { output: worst.output } : {}) });
  const prev = pod.status?.conditions?.find((c) => c.type === HEALTH_CONDITION);
  return { ...cond, lastTransitionTime: prev?.status === cond.status && prev.lastTransitionTime ? prev.lastTransitionTime : at };
}

/** Compute the whole pod status from the containers' slots. */
export function computePodStatus(pod: Pod, slots: Map<string, ContainerSlot>, net: { podIP?: string; hostIP?: string }, now = Date.now()): PodStatus {
  const init = planInit(pod, slots);
  const statusOf = (c: { name: string; image: string }): ContainerStatus => {
    const st = containerStatus(pod, slots.get(c.name) ?? { name: c.name, attempt: 0, startCount: '0' }, c.image, now);
    // The kubelet's word for app containers waiting on init containers.
    if (!init.initialized && st.state.waiting?.reason === 'ContainerCreating') st.state.waiting = { reason: 'PodInitializing' };
    return st;
  };
  const statuses = pod.spec.containers.map(statusOf);
  const initStatuses = (pod.spec.initContainers ?? []).map(statusOf);
  const allFinal = pod.spec.containers.every((c) => { const s = slots.get(c.name); return s !== undefined && isFinal(pod, s); });
  let phase: PodStatus['phase'];
  if (init.failed) phase = 'Failed';
  else if (!init.initialized) phase = 'Pending';
  else if (allFinal) phase = statuses.every((s) => s.state.terminated?.exitCode === 0) ? 'Succeeded' : 'Failed';
  else if (statuses.some((s) => s.state.running || s.state.terminated || s.state.waiting?.reason === 'CrashLoopBackOff')) phase = 'Running';
  else phase = 'Pending';
  const ready = statuses.every((s) => s.ready);
  const at = new Date(now).toISOString();
  const keep = (pod.status?.conditions ?? []).filter((c) => c.type === 'PodScheduled');
  const cond = (type: string, ok: boolean): { type: string; status: 'True' | 'False'; lastTransitionTime: string } => {
    const prev = pod.status?.conditions?.find((c) => c.type === type);
    const status = ok ? 'True' : 'False';
    return { type, status, lastTransitionTime: prev?.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : at };
  };
  const conditions: PodCondition[] = [...keep, cond('Initialized', init.initialized), cond('ContainersReady', ready), cond('Ready', ready)];
  const health = dockerHealthCondition(pod, slots, at);
  if (health) conditions.push(health);
  const out: PodStatus = {
    phase,
    conditions,
    containerStatuses: statuses,
    startTime: pod.status?.startTime ?? at,
  };
  if (initStatuses.length > 0) out.initContainerStatuses = initStatuses;
  if (net.hostIP) out.hostIP = net.hostIP;
  if (net.podIP) { out.podIP = net.podIP; out.podIPs = [{ ip: net.podIP }]; }
  return out;
}

/** Compare statuses ignoring condition timestamps, to skip writes that change nothing. */
export function sameStatus(a: PodStatus | undefined, b: PodStatus): boolean {
  const strip = (s: PodStatus | undefined): string => JSON.stringify({ ...s, conditions: s?.conditions?.map((c) => ({ ...c, lastTransitionTime: undefined })) });
  return strip(a) === strip(b);
}
