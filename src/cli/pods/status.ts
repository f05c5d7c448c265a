/**
 * How a pod and its containers read to a user in Docker's words (`Up 5 seconds`, `Exited (0) 3
 * seconds ago`); kubectl's STATUS/READY/RESTARTS for pods are api/printers/pod-status.ts.
 */
import type { Container, ContainerStatus, Pod } from '../../api/pod.js';
import { dockerAgo, dockerDuration, since } from '../output/durations.js';
import { Annotations } from '../../api/annotations.js';
import { healthSuffix, podHealth } from '../../api/healthcheck.js';

/** The pod uid without dashes: the full "container ID" lcctl shows. */
export function fullId(pod: Pod): string {
  return (pod.metadata.uid ?? '').replace(/-/g, '');
}

/** 12 hex characters of the uid, as `docker ps` shortens IDs. */
export function shortId(pod: Pod): string {
  return fullId(pod).slice(0, 12);
}

/** One container of a pod, with its ID and display name as ps shows them. */
export interface ContainerView { pod: Pod; container: Container; status?: ContainerStatus; id: string; name: string }

/** Every container of a pod; multi-container pods get "ID/container" and "pod/container". */
export function containerViews(pod: Pod, noTrunc = false): ContainerView[] {
  const multi = pod.spec.containers.length > 1;
  const id = noTrunc ? fullId(pod) : shortId(pod);
  return pod.spec.containers.map((c) => {
    const view: ContainerView = {
      pod,
      container: c,
      id: multi ? `${id}/${c.name}` : id,
      name: multi ? `${pod.metadata.name}/${c.name}` : pod.metadata.name,
    };
    const status = pod.status?.containerStatuses?.find((s) => s.name === c.name);
    if (status) view.status = status;
    return view;
  });
}

/** Docker's container states. */
export type DockerState = 'created' | 'running' | 'restarting' | 'exited' | 'removing';

/** The Docker state of one container. */
export function dockerState(pod: Pod, cs: ContainerStatus | undefined): DockerState {
  if (pod.metadata.deletionTimestamp) return 'removing';
  if (cs?.state.running) return 'running';
  if (cs?.state.terminated) return 'exited';
  if (cs?.state.waiting?.reason === 'CrashLoopBackOff') return 'restarting';
  if (cs?.lastState?.terminated && pod.metadata.annotations?.[Annotations.runState] === 'stopped') return 'exited';
  return 'created';
}

/** Docker's STATUS column for one container. */
export function dockerStatus(pod: Pod, cs: ContainerStatus | undefined, now: number): string {
  const state = dockerState(pod, cs);
  if (state === 'removing') return 'Removal In Progress';
  if (state === 'running') {
    const up = since(cs?.state.running?.startedAt, now);
    // Docker appends the healthcheck's verdict: (healthy), (unhealthy), (health: starting).
    return `${Number.isNaN(up) ? 'Up' : `Up ${dockerDuration(up)}`}${healthSuffix(podHealth(pod))}`;
  }
  if (state === 'restarting') {
    const last = cs?.lastState?.terminated;
    const ago = dockerAgo(last?.finishedAt, now);
    return `Restarting (${last?.exitCode ?? 0})${ago ? ` ${ago}` : ''} (CrashLoopBackOff)`;
  }
  if (state === 'exited') {
    const t = cs?.state.terminated ?? cs?.lastState?.terminated;
    return `Exited (${t?.exitCode ?? 0}) ${dockerAgo(t?.finishedAt, now)}`.trimEnd();
  }
  const reason = cs?.state.waiting?.reason;
  return reason && isErrorReason(reason) ? `Created (${reason})` : 'Created';
}

/** Waiting reasons that mean the container will not start without the user doing something. */
const errorReasons = new Set([
  'ErrImagePull', 'ImagePullBackOff', 'ErrImageNeverPull', 'InvalidImageName', 'ImageInspectError',
  'CreateContainerError', 'CreateContainerConfigError', 'RunContainerError', 'PreStartHookError',
  'PostStartHookError', 'RegistryUnavailable', 'StartError',
]);

/** Is a waiting reason a failure (as opposed to ContainerCreating or CrashLoopBackOff)? */
export function isErrorReason(reason: string): boolean {
  return errorReasons.has(reason) || (/(Err|Error|Invalid)/.test(reason) && reason !== 'CrashLoopBackOff');
}

/** Docker's COMMAND column: the command and args, quoted and (unless noTrunc) cut to 20 characters. */
export function dockerCommand(c: Container, noTrunc: boolean): string {
  const words = [...(c.command ?? []), ...(c.args ?? [])].map((w) => (/[\s'"]/.test(w) || w === '' ? `'${w.replace(/'/g, `'\\''`)}'` : w));
  let text = words.join(' ');
  if (!noTrunc && [...text].length > 20) text = [...text].slice(0, 19).join('') + '…';
  return JSON.stringify(text);
}

/** Docker's PORTS column: "127.0.0.1:8080->80/tcp, 53/udp". */
export function dockerPorts(pod: Pod): string {
  const out: string[] = [];
  for (const c of pod.spec.containers) {
    for (const p of c.ports ?? []) {
      const proto = (p.protocol ?? 'TCP').toLowerCase();
      out.push(p.hostPort ? `${p.hostIP || '0.0.0.0'}:${p.hostPort}->${p.containerPort}/${proto}` : `${p.containerPort}/${proto}`);
    }
  }
  return out.join(', ');
}
