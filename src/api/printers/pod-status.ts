/** kubectl's STATUS, READY and RESTARTS words for a pod (its get table and describe view). */
import type { Pod } from '../pod.js';
import { kubeAge } from './age.js';

/** kubectl's STATUS column for a pod. */
export function kubeStatus(pod: Pod): string {
  let reason: string = pod.status?.reason || pod.status?.phase || 'Pending';
  let hasRunning = false;
  const statuses = pod.status?.containerStatuses ?? [];
  for (let i = statuses.length - 1; i >= 0; i--) {
    const c = statuses[i]!;
    if (c.state.waiting?.reason) reason = c.state.waiting.reason;
    else if (c.state.terminated?.reason) reason = c.state.terminated.reason;
    else if (c.state.terminated) reason = c.state.terminated.signal ? `Signal:${c.state.terminated.signal}` : `ExitCode:${c.state.terminated.exitCode}`;
    else if (c.ready && c.state.running) hasRunning = true;
  }
  if (reason === 'Completed' && hasRunning) {
    reason = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
  }
  if (pod.metadata.deletionTimestamp) reason = pod.status?.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

/** kubectl's READY column: ready/total containers. */
export function kubeReady(pod: Pod): string {
  const ready = (pod.status?.containerStatuses ?? []).filter((c) => c.ready && c.state.running).length;
  return `${ready}/${pod.spec.containers.length}`;
}

/** kubectl's RESTARTS column, with the age of the last restart: "3 (45s ago)". */
export function kubeRestarts(pod: Pod, now: number): string {
  let restarts = 0;
  let last: string | undefined;
  for (const c of pod.status?.containerStatuses ?? []) {
    restarts += c.restartCount;
    const fin = c.lastState?.terminated?.finishedAt;
    if (fin && (!last || Date.parse(fin) > Date.parse(last))) last = fin;
  }
  return restarts > 0 && last ? `${restarts} (${kubeAge(last, now)} ago)` : String(restarts);
}
