import type { ContainerStateTerminated } from './pods/pod-status.js';
import type { ContainerInfo } from '../runtime/types.js';
import type { HealthState } from '../api/healthcheck.js';

/** What the agent knows of one container of a pod across its restarts. */
export interface ContainerSlot {
  name: string;
  /** The newest runtime instance, if one was created. */
  current?: ContainerInfo;
  /** The instance before it (kept for `logs --previous`), removed when a newer one starts. */
  previous?: ContainerInfo;
  /** Restarts so far: the attempt number of the current instance. */
  attempt: number;
  /** A start that failed before the process ran (126/127), reported as a termination. */
  failedStart?: ContainerStateTerminated;
  /** Why the container is not running yet (ErrImagePull, CreateContainerError, ...). */
  waiting?: { reason: string; message?: string };
  /** Termination of the previous instance, for lastState. */
  lastTerminated?: ContainerStateTerminated;
  /** When the next restart may happen (ms since epoch). */
  backoffUntil?: number;
  /** Start count (lcctl start/restart) that the current instance was made for. */
  startCount: string;
  /** What the probes said of the instance containerId (probe-runner.ts); absent without probes. */
  health?: { containerId: string; started: boolean; ready: boolean };
  /** Docker's healthcheck of the instance containerId (probes/healthcheck.ts); absent without one. */
  dockerHealth?: HealthState & { containerId: string };
}
