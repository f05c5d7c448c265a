/** A pod as Docker shows a container: the list summary (docker ps) and the inspect document. */
import type { Pod } from '../../api/pod.js';
import { Annotations } from '../../api/annotations.js';
import { containerId, containerName } from './context.js';
import { dockerState, mainStatus, statusText } from './container-state.js';
import { dockerLabels } from './container-create.js';

/** Docker's restart policy name for a pod (the one `docker run --restart` gave, else from restartPolicy). */
function restartName(pod: Pod): string {
  const given = pod.metadata.annotations?.[Annotations.dockerRestart];
  if (given) return given.split(':')[0]!;
  return pod.spec.restartPolicy === 'Always' ? 'always' : pod.spec.restartPolicy === 'OnFailure' ? 'on-failure' : 'no';
}

/** The command line as docker ps shows it. */
function commandLine(pod: Pod): string {
  const c = pod.spec.containers[0];
  return [...(c?.command ?? []), ...(c?.args ?? [])].join(' ');
}

/** Published ports in the list shape. */
function ports(pod: Pod): { IP?: string; PrivatePort: number; PublicPort?: number; Type: string }[] {
  return (pod.spec.containers[0]?.ports ?? []).map((p) => ({
    ...(p.hostPort ? { IP: p.hostIP ?? '0.0.0.0', PublicPort: p.hostPort } : {}),
    PrivatePort: p.containerPort, Type: (p.protocol ?? 'TCP').toLowerCase(),
  }));
}

const networkMode = (pod: Pod): string => pod.spec.hostNetwork ? 'host' : pod.spec.networkMode ?? 'bridge';

/** One entry of GET /containers/json. */
export function containerSummary(pod: Pod, now: number): Record<string, unknown> {
  const st = dockerState(pod);
  const cs = mainStatus(pod);
  const ip = pod.status?.podIP ?? '';
  return {
    Id: containerId(pod),
    Names: [`/${containerName(pod)}`],
    Image: pod.spec.containers[0]?.image ?? '',
    ImageID: cs?.imageID ?? '',
    Command: commandLine(pod),
    Created: Math.floor(Date.parse(pod.metadata.creationTimestamp ?? '') / 1000) || 0,
    Ports: ports(pod),
    Labels: dockerLabels(pod),
    State: st.Status,
    Status: statusText(st, now),
    HostConfig: { NetworkMode: networkMode(pod) },
    NetworkSettings: { Networks: { [networkMode(pod)]: { IPAddress: ip } } },
    Mounts: [],
  };
}

/** GET /containers/{id}/json. */
export function containerInspect(pod: Pod): Record<string, unknown> {
  const c = pod.spec.containers[0];
  const st = dockerState(pod);
  const cs = mainStatus(pod);
  const argv = [...(c?.command ?? []), ...(c?.args ?? [])];
  const limits = c?.resources?.limits ?? {};
  const portMap: Record<string, { HostIp: string; HostPort: string }[] | null> = {};
  for (const p of c?.ports ?? []) {
    portMap[`${p.containerPort}/${(p.protocol ?? 'TCP').toLowerCase()}`] = p.hostPort ? [{ HostIp: p.hostIP ?? '0.0.0.0', HostPort: String(p.hostPort) }] : null;
  }
  const ip = pod.status?.podIP ?? '';
  return {
    Id: containerId(pod),
    Created: pod.metadata.creationTimestamp ?? '',
    Path: argv[0] ?? '',
    Args: argv.slice(1),
    State: st,
    Image: cs?.imageID ?? '',
    Name: `/${containerName(pod)}`,
    RestartCount: cs?.restartCount ?? 0,
    Driver: 'overlay',
    Platform: 'linux',
    HostConfig: {
      NetworkMode: networkMode(pod),
      // The node keeps each container's output in a file it reads back, as json-file does (compose checks this).
      LogConfig: { Type: 'json-file', Config: {} },
      RestartPolicy: { Name: restartName(pod), MaximumRetryCount: Number(pod.metadata.annotations?.[Annotations.maxRestarts] ?? 0) },
      AutoRemove: pod.metadata.annotations?.[Annotations.autoRemove] === 'true',
      Privileged: c?.securityContext?.privileged === true,
      ReadonlyRootfs: c?.securityContext?.readOnlyRootFilesystem === true,
      CapAdd: c?.securityContext?.capabilities?.add ?? null,
      CapDrop: c?.securityContext?.capabilities?.drop ?? null,
      PortBindings: portMap,
      Memory: 0,
      NanoCpus: 0,
      LanternLimits: limits,
    },
    Config: {
      Hostname: pod.spec.hostname ?? pod.metadata.name,
      Image: c?.image ?? '',
      Cmd: c?.args ?? null,
      Entrypoint: c?.command ?? null,
      Env: (c?.env ?? []).filter((e) => e.value !== undefined).map((e) => `${e.name}=${e.value}`),
      Labels: dockerLabels(pod),
      WorkingDir: c?.workingDir ?? '',
      User: c?.securityContext?.runAsUser === undefined ? '' : String(c.securityContext.runAsUser),
      Tty: c?.tty === true,
      OpenStdin: c?.stdin === true,
      AttachStdin: false, AttachStdout: false, AttachStderr: false,
      ExposedPorts: Object.fromEntries(Object.keys(portMap).map((k) => [k, {}])),
      StopTimeout: pod.spec.terminationGracePeriodSeconds ?? 10,
    },
    NetworkSettings: {
      IPAddress: ip,
      Ports: portMap,
      Networks: { [networkMode(pod)]: { IPAddress: ip } },
    },
    Mounts: [],
    Lantern: { namespace: pod.metadata.namespace ?? 'default', pod: pod.metadata.name, node: pod.spec.nodeName ?? '' },
  };
}
