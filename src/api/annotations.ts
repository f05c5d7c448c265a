// Kept free of imports: lcctl loads it at start-up, where the schema library would cost ~60 ms.
/** Lantern annotations that carry Docker-only semantics on a Pod (no Kubernetes field exists). */
export const Annotations = {
  /** "true": delete the pod once it has finished (docker run --rm). */
  autoRemove: 'lantern.dev/auto-remove',
  /** "stopped": the user stopped it (docker stop); the agent keeps it down whatever the restart policy. */
  runState: 'lantern.dev/run-state',
  /** Grace seconds for the stop requested through run-state. */
  stopGraceSeconds: 'lantern.dev/stop-grace-seconds',
  /** Bumped by `lcctl start|restart` so the agent starts the containers afresh. */
  startCount: 'lantern.dev/start-count',
  /** Maximum restarts for Docker's on-failure:N. */
  maxRestarts: 'lantern.dev/max-restarts',
  /** Docker's restart policy as the user gave it (no, always, unless-stopped, on-failure[:N]). */
  dockerRestart: 'lantern.dev/docker-restart',
  /** Maximum number of processes in each container (docker --pids-limit). */
  pidsLimit: 'lantern.dev/pids-limit',
  /** "true": the pod was made by `lcctl run` (shown by `lcctl ps`). */
  dockerRun: 'lantern.dev/docker-run',
} as const;

/** Gang scheduling: the pods of one group are placed all or nothing. */
export const GangAnnotations = {
  /** The PodGroup (same namespace) this pod belongs to. */
  group: 'scheduling.lantern.dev/group',
  /** How many members must be placed together when no PodGroup object says (a Job's minAvailable). */
  minAvailable: 'scheduling.lantern.dev/group-min-available',
} as const;
