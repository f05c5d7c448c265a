/** kubectl's STATUS, READY and RESTARTS words for a pod (its get table and describe view). */
import type { Pod } from '../pod.js';
import { kubeAge } from './age.js';

/** kubectl's Init:N/M, Init:Error, Init:CrashLoopBackOff while init containers have not all run. */
function initReason(pod: Pod): string | undefined {
  const specs = pod.spec.initContainers ?? [];
  const statuses = pod.status?.initContainerStatuses ?? [];
  for (let i = 0; i < statuses.length; i++) {
    const c = statuses[i]!;
    const t = c.state.terminated;
    if (t && t.exitCode === 0) continue;
    if (specs.find((s) => s.name === c.name)?.restartPolicy === 'Always' && c.started) continue;
    if (t) return t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`;
    if (c.state.waiting?.reason && c.state.waiting.reason !== 'PodInitializing' && c.state.waiting.reason !== 'ContainerCreating') return `Init:${c.state.waiting.reason}`;
    return `Init:${i}/${specs.length}`;
  }
  return undefined;
}

/** kubectl's STATUS column for a pod. */
export function kubeStatus(pod: Pod): string {
  let reason: string = pod.status?.reason || pod.status?.phase || 'Pending';
  let hasRunning = false;
  const init = initReason(pod);
  const initialized = pod.status?.conditions?.some((c) => c.type === 'Initialized' && c.status === 'True') ?? false;
  if (init !== undefined) reason = init;
  const statuses = init !== undefined && !initialized ? [] : pod.status?.containerStatuses ?? [];
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
