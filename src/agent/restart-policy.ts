import type { Pod } from '../api/pod.js';
import { Annotations } from '../api/pod.js';

/** Exponential back-off between restarts: 0 for the first, then initial doubling up to max. */
export interface BackoffConfig { initialMs: number; maxMs: number; /** A run longer than this resets the back-off. */ resetAfterMs: number }

export const defaultBackoff: BackoffConfig = { initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 };

/** Delay before starting attempt number `restarts + 1` (restarts = restarts so far). */
export function restartDelay(restarts: number, cfg: BackoffConfig): number {
  if (restarts <= 0) return 0;
  return Math.min(cfg.maxMs, cfg.initialMs * 2 ** (restarts - 1));
}

/** Whether a container that exited with exitCode should be started again under the pod's policy. */
export function shouldRestart(pod: Pod, exitCode: number, restarts: number): boolean {
  if (pod.metadata.annotations?.[Annotations.runState] === 'stopped') return false;
  const policy = pod.spec.restartPolicy ?? 'Always';
  if (policy === 'Never') return false;
  if (policy === 'OnFailure' && exitCode === 0) return false;
  const max = pod.metadata.annotations?.[Annotations.maxRestarts];
  if (max !== undefined && /^[0-9]+$/.test(max) && Number(max) > 0 && restarts >= Number(max)) return false;
  return true;
}

/**
 * The pod as the restart policy sees one of its containers: a plain init container is retried
 * OnFailure under Always (it must end), a sidecar (restartPolicy: Always) always restarts.
 */
export function policyPod(pod: Pod, name: string): Pod {
  const init = pod.spec.initContainers?.find((c) => c.name === name);
  if (!init) return pod;
  const restartPolicy = init.restartPolicy === 'Always' ? 'Always' : pod.spec.restartPolicy === 'Never' ? 'Never' : 'OnFailure';
  return restartPolicy === pod.spec.restartPolicy ? pod : { ...pod, spec: { ...pod.spec, restartPolicy } };
}
