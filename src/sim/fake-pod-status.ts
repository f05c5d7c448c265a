import type { ContainerStatus, PodStatus } from '../api/pod.js';

type Condition = NonNullable<PodStatus['conditions']>[number];

/** What a fake pod status is built from: the pod as the runner tracks it and its current run. */
export interface FakePodView {
  uid: string;
  ip: string;
  hostIP: string;
  containers: { name: string; image: string }[];
  /** The scheduler's PodScheduled condition, copied from the pod as seen. */
  scheduled: Condition[];
  /** Which start this is (0 the first; lcctl start/restart bump it), so each start has its own container ID. */
  run: number;
  startedAt: string;
}

/** Every container running and ready. */
export function runningStatus(p: FakePodView): PodStatus {
  return base(p, 'Running', true, p.containers.map((c) => ({
    ...container(c), containerID: containerID(p, c.name), state: { running: { startedAt: p.startedAt } }, ready: true, started: true,
  })));
}

/** Every container exited with CODE at AT: Succeeded/Completed for 0, Failed/Error otherwise. */
export function exitedStatus(p: FakePodView, code: number, at: string): PodStatus {
  const reason = code === 0 ? 'Completed' : 'Error';
  return base(p, code === 0 ? 'Succeeded' : 'Failed', false, p.containers.map((c) => ({
    ...container(c), containerID: containerID(p, c.name),
    state: { terminated: { exitCode: code, reason, startedAt: p.startedAt, finishedAt: at, containerID: containerID(p, c.name) } },
    ready: false, started: false,
  })));
}

/** Every container waiting with REASON and MESSAGE: the pod stays Pending. */
export function waitingStatus(p: FakePodView, reason: string, message: string): PodStatus {
  return base(p, 'Pending', false, p.containers.map((c) => ({ ...container(c), state: { waiting: { reason, message } }, ready: false, started: false })));
}

function container(c: { name: string; image: string }): ContainerStatus {
  return { name: c.name, state: {}, ready: false, restartCount: 0, image: c.image, imageID: '' };
}

function containerID(p: FakePodView, name: string): string {
  return p.run === 0 ? `fake://${p.uid}/${name}` : `fake://${p.uid}/${name}/${p.run}`;
}

function base(p: FakePodView, phase: PodStatus['phase'], ready: boolean, containerStatuses: ContainerStatus[]): PodStatus {
  const cond = (type: string, ok: boolean, reason?: string): Condition => ({
    type, status: ok ? 'True' : 'False', lastTransitionTime: p.startedAt, ...(reason ? { reason } : {}),
  });
  const reason = ready ? undefined : phase === 'Pending' ? 'ContainersNotReady' : 'PodCompleted';
  return {
    phase,
    conditions: [...p.scheduled, cond('Initialized', true), cond('ContainersReady', ready, reason), cond('Ready', ready, reason)],
    containerStatuses,
    startTime: p.startedAt,
    hostIP: p.hostIP,
    podIP: p.ip,
    podIPs: [{ ip: p.ip }],
  };
}
