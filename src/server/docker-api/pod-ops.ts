/** Docker's start/stop on a pod, as lcctl's start/stop do them: annotations the node's agent acts on. */
import type { ContainerStatus, Pod } from '../../api/pod.js';
import { Annotations } from '../../api/annotations.js';
import { ApiError } from '../../api/errors.js';
import type { ApiClient } from '../../client/types.js';
import { DockerError } from './http-util.js';
import { mainStatus } from './container-state.js';
import { waitPod, type PodChange } from './pod-wait.js';

/** Read-modify-write of a pod's metadata, retried on Conflict. */
export async function updatePod(api: ApiClient, pod: Pod, change: (p: Pod) => void): Promise<Pod> {
  let current = pod;
  for (let attempt = 0; ; attempt++) {
    const next = structuredClone(current);
    change(next);
    try {
      return await api.update<Pod>('pods', next);
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'Conflict') || attempt >= 5) throw e;
      current = await api.get<Pod>('pods', pod.metadata.name, pod.metadata.namespace);
    }
  }
}

/** Is the main container running? */
export const isRunning = (pod: Pod): boolean => mainStatus(pod)?.state.running !== undefined;

/** Waiting reasons that mean the container cannot start (pull, create or config errors). */
const startFailure = (reason: string | undefined): boolean => reason !== undefined && /Err|Invalid|Failed|BackOff/.test(reason) && reason !== 'CrashLoopBackOff';

/** What tells one start of a container from the next. */
const startMark = (c: ContainerStatus | undefined): string =>
  `${c?.containerID ?? ''}|${c?.restartCount ?? 0}|${c?.state.running?.startedAt ?? c?.state.terminated?.startedAt ?? ''}`;

/** Wait as waitPod does, but give up after ms with an error naming what did not happen (the CLI would hang). */
async function waitAtMost<T>(api: ApiClient, pod: Pod, ms: number, what: string, decide: (c: PodChange) => T | undefined, signal?: AbortSignal): Promise<T> {
  const timeout = AbortSignal.timeout(ms);
  try {
    return await waitPod(api, pod, decide, signal ? AbortSignal.any([signal, timeout]) : timeout);
  } catch (e) {
    if (timeout.aborted && !signal?.aborted) throw new DockerError(500, `timed out after ${Math.round(ms / 1000)} s waiting for ${pod.metadata.name} to ${what}: is the node's agent running? (lcctl describe pod ${pod.metadata.name})`);
    throw e;
  }
}

/** docker stop / kill -s KILL: mark it stopped with the grace period and wait until nothing runs. */
export async function stopPod(api: ApiClient, pod: Pod, graceSeconds: number, signal?: AbortSignal): Promise<Pod> {
  const updated = await updatePod(api, pod, (p) => {
    p.metadata.annotations = { ...p.metadata.annotations, [Annotations.runState]: 'stopped', [Annotations.stopGraceSeconds]: String(graceSeconds) };
  });
  return waitAtMost(api, updated, (graceSeconds + 60) * 1000, 'stop', (c) => (c.deleted || !isRunning(c.pod) ? c.pod : undefined), signal);
}

/** docker start: clear the stop, bump start-count, and wait until the container ran (or failed to start). */
export async function startPod(api: ApiClient, pod: Pod, signal?: AbortSignal): Promise<Pod> {
  const before = startMark(mainStatus(pod));
  const updated = await updatePod(api, pod, (p) => {
    const a = { ...p.metadata.annotations };
    delete a[Annotations.runState];
    delete a[Annotations.stopGraceSeconds];
    a[Annotations.startCount] = String((Number.parseInt(a[Annotations.startCount] ?? '0', 10) || 0) + 1);
    p.metadata.annotations = a;
  });
  return waitAtMost(api, updated, 120_000, 'start', (c) => {
    if (c.deleted) throw new DockerError(409, `container ${pod.metadata.name} was removed while starting`);
    const cs = mainStatus(c.pod);
    const waiting = cs?.state.waiting;
    if (startFailure(waiting?.reason)) throw new DockerError(waiting?.reason === 'ErrImageNeverPull' || /ImagePull/.test(waiting?.reason ?? '') ? 404 : 500, waiting?.message || waiting?.reason || 'the container could not start');
    if (c.pod.status?.phase === 'Failed' && !cs?.state.terminated) throw new DockerError(500, c.pod.status.message || c.pod.status.reason || 'the pod failed before its container started');
    if (startMark(cs) === before) return undefined;
    return cs?.state.running || cs?.state.terminated ? c.pod : undefined;
  }, signal);
}

/** DELETE the pod (grace 0 with force) and wait until it is gone. */
export async function removePod(api: ApiClient, pod: Pod, force: boolean, signal?: AbortSignal): Promise<void> {
  try {
    await api.delete('pods', pod.metadata.name, pod.metadata.namespace, force ? { gracePeriodSeconds: 0 } : {});
  } catch (e) {
    if (e instanceof ApiError && e.code === 'NotFound') return;
    throw e;
  }
  let current: Pod;
  try { current = await api.get<Pod>('pods', pod.metadata.name, pod.metadata.namespace); } catch (e) {
    if (e instanceof ApiError && e.code === 'NotFound') return;
    throw e;
  }
  await waitAtMost(api, current, ((current.metadata.deletionGracePeriodSeconds ?? 30) + 60) * 1000, 'be removed', (c) => (c.deleted ? true : undefined), signal);
}
