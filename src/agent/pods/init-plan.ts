/**
 * Which of a pod's init containers may run now (Kubernetes' init container and native sidecar
 * order): plain init containers one at a time, in order, each to a successful exit; a sidecar
 * (restartPolicy: Always) is started in its turn and the next one follows once it runs, without
 * waiting for it to exit. Once every init container is through, the pod is initialized for good:
 * plain ones never run again, sidecars are kept running (restarted when they die) beside the app
 * containers.
 */
import type { Container, Pod } from '../../api/schema/pod.js';
import { isSidecar } from '../../api/kinds/pod-init.js';
import type { ContainerSlot } from '../container-slot.js';
import { policyPod, shouldRestart } from '../restart-policy.js';

/** What the runner does with the init containers this sync. */
export interface InitPlan {
  /** Init containers to see to now (start, or restart after back-off), in order. */
  sync: Container[];
  /** Every init container is through: the app containers may run. */
  initialized: boolean;
  /** A plain init container failed and will not be retried (restartPolicy Never): the pod failed. */
  failed: boolean;
}

const isRunning = (s: ContainerSlot | undefined): boolean => s?.current !== undefined && (s.current.status === 'running' || s.current.status === 'created') && !s.failedStart;

/** The exit of a slot's newest instance, if it ended. */
function exitOf(s: ContainerSlot | undefined): number | undefined {
  if (!s) return undefined;
  if (s.failedStart) return s.failedStart.exitCode;
  return s.current?.status === 'stopped' ? s.current.exitCode ?? 255 : undefined;
}

/** Whether the app containers ran already (so the pod was initialized before, perhaps before an agent restart). */
export function appsStarted(pod: Pod, slots: Map<string, ContainerSlot>): boolean {
  return pod.spec.containers.some((c) => { const s = slots.get(c.name); return s !== undefined && (s.current !== undefined || s.failedStart !== undefined || s.attempt >= 0); });
}

/** The init containers' plan from their slots. */
export function planInit(pod: Pod, slots: Map<string, ContainerSlot>): InitPlan {
  const inits = pod.spec.initContainers ?? [];
  if (appsStarted(pod, slots)) return { sync: inits.filter((c) => isSidecar(c) && !isRunning(slots.get(c.name))), initialized: true, failed: false };
  const sync: Container[] = [];
  for (const c of inits) {
    const slot = slots.get(c.name);
    if (isSidecar(c)) {
      if (isRunning(slot)) continue;
      sync.push(c);
      return { sync, initialized: false, failed: false };
    }
    const code = exitOf(slot);
    if (code === 0) continue;
    if (isRunning(slot)) return { sync, initialized: false, failed: false };
    if (code !== undefined && slot && !shouldRestart(policyPod(pod, c.name), code, slot.attempt)) return { sync, initialized: false, failed: true };
    sync.push(c);
    return { sync, initialized: false, failed: false };
  }
  return { sync, initialized: true, failed: false };
}
