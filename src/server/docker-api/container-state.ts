/** A pod's first container in Docker's state words: created, running, restarting, exited, removing. */
import type { ContainerStatus, Pod } from '../../api/pod.js';
import { Annotations } from '../../api/annotations.js';

/** Docker's State object (the fields its clients read). */
export interface DockerState {
  Status: 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  OOMKilled: boolean;
  Dead: boolean;
  Pid: number;
  ExitCode: number;
  Error: string;
  StartedAt: string;
  FinishedAt: string;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** The status of the pod's first app container. */
export function mainStatus(pod: Pod): ContainerStatus | undefined {
  const name = pod.spec.containers[0]?.name;
  return pod.status?.containerStatuses?.find((c) => c.name === name) ?? pod.status?.containerStatuses?.[0];
}

/** Docker's State of a pod. */
export function dockerState(pod: Pod): DockerState {
  const cs = mainStatus(pod);
  const run = cs?.state.running;
  const term = cs?.state.terminated ?? cs?.lastState?.terminated;
  const waitingReason = cs?.state.waiting?.reason;
  let status: DockerState['Status'];
  if (pod.metadata.deletionTimestamp) status = 'removing';
  else if (run) status = 'running';
  else if (cs?.state.terminated) status = 'exited';
  else if (term && pod.metadata.annotations?.[Annotations.runState] !== 'stopped') status = 'restarting';
  else if (term) status = 'exited';
  else status = 'created';
  const error = cs?.state.waiting?.message ?? (waitingReason && /Err|Fail|Invalid/.test(waitingReason) ? waitingReason : '');
  return {
    Status: status,
    Running: status === 'running',
    Paused: false,
    Restarting: status === 'restarting',
    OOMKilled: term?.reason === 'OOMKilled',
    Dead: false,
    Pid: 0,
    ExitCode: status === 'running' || status === 'created' ? 0 : term?.exitCode ?? 0,
    Error: error,
    StartedAt: run?.startedAt ?? term?.startedAt ?? ZERO_TIME,
    FinishedAt: status === 'running' ? ZERO_TIME : term?.finishedAt ?? ZERO_TIME,
  };
}

/** go-units' HumanDuration, as Docker's "Up 5 seconds" and "Exited (0) 2 minutes ago" use it. */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 1) return 'Less than a second';
  if (s === 1) return '1 second';
  if (s < 60) return `${s} seconds`;
  const m = Math.floor(s / 60);
  if (m === 1) return 'About a minute';
  if (m < 60) return `${m} minutes`;
  const h = Math.round(s / 3600);
  if (h === 1) return 'About an hour';
  if (h < 48) return `${h} hours`;
  if (h < 24 * 14) return `${Math.floor(h / 24)} days`;
  if (h < 24 * 60) return `${Math.floor(h / 24 / 7)} weeks`;
  if (h < 24 * 730) return `${Math.floor(h / 24 / 30)} months`;
  return `${Math.floor(h / 24 / 365)} years`;
}

/** The STATUS column of docker ps for a state. */
export function statusText(st: DockerState, now: number): string {
  const ago = (iso: string): string => humanDuration(Math.max(0, now - Date.parse(iso)));
  switch (st.Status) {
    case 'running': return `Up ${ago(st.StartedAt)}`;
    case 'exited': return st.FinishedAt === ZERO_TIME ? `Exited (${st.ExitCode})` : `Exited (${st.ExitCode}) ${ago(st.FinishedAt)} ago`;
    case 'restarting': return st.FinishedAt === ZERO_TIME ? `Restarting (${st.ExitCode})` : `Restarting (${st.ExitCode}) ${ago(st.FinishedAt)} ago`;
    case 'removing': return 'Removal In Progress';
    default: return 'Created';
  }
}
