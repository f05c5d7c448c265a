/**
 * The Lantern pod annotations (same values as `Annotations` in src/api/pod.ts). Copied because
 * src/api/pod.ts also re-exports the TypeBox schemas, and loading those costs ~60 ms at start-up;
 * annotations.test.ts keeps the two in step.
 */
export const Annotations = {
  autoRemove: 'lantern.dev/auto-remove',
  runState: 'lantern.dev/run-state',
  stopGraceSeconds: 'lantern.dev/stop-grace-seconds',
  startCount: 'lantern.dev/start-count',
  maxRestarts: 'lantern.dev/max-restarts',
  dockerRestart: 'lantern.dev/docker-restart',
  pidsLimit: 'lantern.dev/pids-limit',
  dockerRun: 'lantern.dev/docker-run',
} as const;
