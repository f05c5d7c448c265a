/**
 * Docker's stop/start/rm on pods: stop and start are annotation updates the node's agent acts on
 * (run-state, start-count); rm is a DELETE followed by waiting for the object to go.
 */
import type { ContainerStatus, Pod } from '../../api/pod.js';
import type { HttpClient } from '../../client/http-client.js';
import { Annotations } from '../../api/annotations.js';
import { CliError, UsageError, isCode } from '../errors.js';
import { watchPod } from './watch.js';
import { isErrorReason } from './status.js';
import type { Parsed } from '../args.js';
import { namespaceFlag } from '../args.js';
import { connect, namespaceOf } from '../connect.js';
import { forEachRef } from './each.js';
import { resolveTarget } from './resolve.js';

/** Read-modify-write of a pod's metadata, retried on Conflict. */
export async function updatePod(client: HttpClient, pod: Pod, change: (p: Pod) => void): Promise<Pod> {
  let current = pod;
  for (let attempt = 0; ; attempt++) {
    const next = structuredClone(current);
    change(next);
    try {
      return await client.update<Pod>('pods', next);
    } catch (e) {
      if (!isCode(e, 'Conflict') || attempt >= 5) throw e;
      current = await client.get<Pod>('pods', pod.metadata.name, pod.metadata.namespace);
    }
  }
}

const running = (p: Pod): boolean => (p.status?.containerStatuses ?? []).some((c) => c.state.running !== undefined);

/** Is any container of the pod running? */
export function isRunning(pod: Pod): boolean { return running(pod); }

/** Ask the agent to stop a pod's containers (docker stop), keeping the pod. */
export function requestStop(client: HttpClient, pod: Pod, graceSeconds?: number): Promise<Pod> {
  const grace = graceSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 10;
  return updatePod(client, pod, (p) => {
    p.metadata.annotations = { ...p.metadata.annotations, [Annotations.runState]: 'stopped', [Annotations.stopGraceSeconds]: String(grace) };
  });
}

/** Wait until no container of the pod runs (or the pod is gone). */
export function waitStopped(client: HttpClient, pod: Pod, graceSeconds: number): Promise<Pod> {
  return watchPod(client, pod.metadata.namespace ?? 'default', pod, (e) => (e.type === 'DELETED' || !running(e.pod) ? e.pod : undefined), {
    timeoutMs: (graceSeconds + 30) * 1000,
    timeoutMessage: `timed out waiting for ${pod.metadata.name} to stop: is the node's agent running?`,
  });
}

/** What identifies one start of a container, to notice that a new one happened. */
function startMark(c: ContainerStatus): string {
  return `${c.containerID ?? ''}|${c.restartCount}|${c.state.running?.startedAt ?? c.state.terminated?.startedAt ?? ''}`;
}

/** Clear the stop and bump start-count so the agent starts the containers afresh (docker start). */
export function requestStart(client: HttpClient, pod: Pod): Promise<Pod> {
  return updatePod(client, pod, (p) => {
    const a = { ...p.metadata.annotations };
    delete a[Annotations.runState];
    delete a[Annotations.stopGraceSeconds];
    a[Annotations.startCount] = String((Number.parseInt(a[Annotations.startCount] ?? '0', 10) || 0) + 1);
    p.metadata.annotations = a;
  });
}

/** Wait until the containers run again (or ran and exited: a start of a short command). */
export function waitStarted(client: HttpClient, before: Pod, updated: Pod): Promise<Pod> {
  const marks = new Set((before.status?.containerStatuses ?? []).map(startMark));
  return watchPod(client, updated.metadata.namespace ?? 'default', updated, (e) => {
    if (e.type === 'DELETED') throw new CliError(`container ${before.metadata.name} was removed while starting`);
    for (const c of e.pod.status?.containerStatuses ?? []) {
      const reason = c.state.waiting?.reason;
      if (reason && isErrorReason(reason)) throw new CliError(`${before.metadata.name}: ${c.state.waiting?.message ?? reason}`);
      if (marks.has(startMark(c))) continue;
      if (c.state.running || c.state.terminated) return e.pod;
    }
    return undefined;
  }, { timeoutMs: 120_000, timeoutMessage: `timed out waiting for ${before.metadata.name} to start: is the node's agent running?` });
}

/** DELETE a pod and (with wait) return once it is gone; NotFound counts as gone. */
export async function deletePod(client: HttpClient, ns: string, name: string, grace: number | undefined, wait: boolean): Promise<void> {
  try {
    await client.delete('pods', name, ns, grace === undefined ? {} : { gracePeriodSeconds: grace });
  } catch (e) {
    if (isCode(e, 'NotFound')) return;
    throw e;
  }
  if (!wait) return;
  let pod: Pod;
  try { pod = await client.get<Pod>('pods', name, ns); } catch (e) {
    if (isCode(e, 'NotFound')) return;
    throw e;
  }
  const graceWait = pod.metadata.deletionGracePeriodSeconds ?? grace ?? pod.spec.terminationGracePeriodSeconds ?? 30;
  await watchPod(client, ns, pod, (e) => (e.type === 'DELETED' ? true : undefined), {
    timeoutMs: (graceWait + 60) * 1000,
    timeoutMessage: `timed out waiting for pod ${name} to be removed: is the node's agent running?`,
  });
}

/** The flags stop and restart share: Docker's -t/--time grace period, and the namespace. */
export const stopFlags = [
  { name: 'time', short: 't', type: 'int', help: "Seconds to wait before killing the container (default: the container's stop timeout)" },
  { name: 'timeout', type: 'int', help: 'Alias of --time' },
  namespaceFlag,
] as const;

/** The grace period asked for with -t/--time (undefined: each container's own stop timeout). */
export function requestedGrace(p: { int(name: string): number | undefined }): number | undefined {
  const grace = p.int('time') ?? p.int('timeout');
  if (grace !== undefined && grace < 0) throw new UsageError(`invalid argument "${grace}" for "-t, --time" flag: must not be negative`);
  return grace;
}

/**
 * stop and restart: for each CONTAINER argument, `act` on its pod with the grace period (-t, else the
 * pod's terminationGracePeriodSeconds, else Docker's 10 s); prints each name done, as Docker does.
 */
export async function forEachPodWithGrace(p: Parsed, verb: string, act: (client: HttpClient, pod: Pod, graceSeconds: number) => Promise<void>): Promise<number> {
  if (p.args.length === 0) throw new UsageError(`"lcctl ${verb}" requires at least 1 argument`);
  const grace = requestedGrace(p);
  const client = connect(p);
  const ns = namespaceOf(p);
  return forEachRef(p.args, async (ref) => {
    const { pod } = await resolveTarget(client, ns, ref);
    await act(client, pod, grace ?? pod.spec.terminationGracePeriodSeconds ?? 10);
    return ref;
  });
}
