import { randomBytes } from 'node:crypto';
import type { Pod, Container, EnvVar } from '../../api/pod.js';
import { Annotations } from '../../api/pod.js';
import { parseBytes, parseCpuMillis } from '../../api/quantity.js';
import type { ContainerConfig, DeviceSpec, MountSpec, ResourceLimits } from '../../runtime/types.js';
import type { ImageRecord } from '../../image/types.js';
import { resolveUser } from '../image-user.js';
import { securityFor } from './container-config-security.js';

/** Labels the agent stores on every runtime container, so it can re-adopt them after a restart. */
export const Labels = {
  podUid: 'lantern.pod.uid',
  podName: 'lantern.pod.name',
  podNamespace: 'lantern.pod.namespace',
  container: 'lantern.container.name',
  /** How many instances of this container were created before this one (its restart count). */
  attempt: 'lantern.container.attempt',
  /** The pod's start-count annotation when this instance was made (lcctl start/restart). */
  startCount: 'lantern.container.start-count',
  image: 'lantern.container.image',
  imageId: 'lantern.container.image-id',
} as const;

/** A config error the user must fix; reported as CreateContainerConfigError. */
export class ContainerConfigError extends Error {}

/** Kubernetes' rule for the process: command replaces Entrypoint (and drops Cmd), args replace Cmd. */
export function processArgs(c: Container, image: ImageRecord): string[] {
  if (c.command && c.command.length > 0) return [...c.command, ...(c.args ?? [])];
  const entry = image.config.Entrypoint ?? [];
  const cmd = c.args && c.args.length > 0 ? c.args : image.config.Cmd ?? [];
  return [...entry, ...cmd];
}

/** Image Env first, then the container's env overriding by name. */
export function mergeEnv(c: Container, image: ImageRecord, extra: Record<string, string> = {}): string[] {
  const env = new Map<string, string>();
  for (const kv of image.config.Env ?? []) {
    const i = kv.indexOf('=');
    if (i > 0) env.set(kv.slice(0, i), kv.slice(i + 1));
  }
  if (!env.has('PATH')) env.set('PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  for (const [k, v] of Object.entries(extra)) env.set(k, v);
  for (const e of c.env ?? []) env.set(e.name, e.value ?? '');
  return [...env].map(([k, v]) => `${k}=${v}`);
}

/** cgroup limits from resources and the pids annotation. */
export function limitsFor(pod: Pod, c: Container): ResourceLimits {
  const out: ResourceLimits = {};
  const mem = c.resources?.limits?.memory;
  if (mem !== undefined) out.memoryBytes = parseBytes(mem);
  const cpu = c.resources?.limits?.cpu;
  if (cpu !== undefined) {
    const millis = parseCpuMillis(cpu) ?? 0;
    if (millis > 0) { out.cpuPeriod = 100_000; out.cpuQuota = Math.max(1000, millis * 100); }
  }
  const req = c.resources?.requests?.cpu ?? cpu;
  if (req !== undefined) out.cpuShares = Math.max(2, Math.round(((parseCpuMillis(req) ?? 0) * 1024) / 1000));
  const pids = pod.metadata.annotations?.[Annotations.pidsLimit];
  if (pids !== undefined && /^[0-9]+$/.test(pids) && Number(pids) > 0) out.pidsLimit = Number(pids);
  return out;
}

/** One container instance as the pod's hooks prepared it (pods/pod-hook.ts: ContainerPlan). */
export interface BuildInput {
  pod: Pod;
  container: Container;
  image: ImageRecord;
  layers: string[];
  netns: string | 'host';
  attempt: number;
  /** The container's env with valueFrom/envFrom resolved (the config hook); absent: container.env as it is. */
  env?: EnvVar[];
  /** Variables below the container's own env: a gang member's RANK, WORLD_SIZE, MASTER_*; devices'. */
  extraEnv?: Record<string, string>;
  /** Every mount, in order (the volumes, config and devices hooks). */
  mounts: MountSpec[];
  /** Extra /etc/hosts lines (a gang member's peers). */
  extraHosts?: Array<{ ip: string; names: string[] }>;
  /** resolv.conf by the pod's dnsPolicy (the dns hook); absent: the host's. */
  dns?: { nameservers: string[]; searches: string[]; options: string[] };
  /** Device nodes and cgroup rules (the devices hook). */
  devices?: DeviceSpec[] | undefined;
  deviceCgroupRules?: string[] | undefined;
}

/** Turn one container of a pod into the runtime's ContainerConfig. */
export async function buildContainerConfig(input: BuildInput): Promise<ContainerConfig> {
  const { pod, container: c, image, layers } = input;
  const sc = c.securityContext ?? {};
  const psc = pod.spec.securityContext ?? {};
  const args = processArgs(c, image);
  if (args.length === 0) throw new ContainerConfigError('no command specified: the image has no Entrypoint or Cmd and the container gives no command');
  let user: { uid: number; gid: number };
  const runAsUser = sc.runAsUser ?? psc.runAsUser;
  const runAsGroup = sc.runAsGroup ?? psc.runAsGroup;
  try {
    user = runAsUser !== undefined
      ? { uid: runAsUser, gid: runAsGroup ?? (await resolveUser(String(runAsUser), layers)).gid }
      : await resolveUser(image.config.User || '0', layers);
  } catch (e) {
    throw new ContainerConfigError((e as Error).message);
  }
  if (runAsGroup !== undefined) user.gid = runAsGroup;
  if ((sc.runAsNonRoot ?? psc.runAsNonRoot) && user.uid === 0) {
    throw new ContainerConfigError('container has runAsNonRoot and image will run as root');
  }
  const hostname = (pod.spec.hostname ?? pod.metadata.name).slice(0, 63);
  return {
    id: randomBytes(32).toString('hex'),
    name: `${pod.metadata.namespace ?? 'default'}_${pod.metadata.name}_${c.name}_${input.attempt}`,
    rootfsLayers: layers,
    readOnlyRootfs: sc.readOnlyRootFilesystem ?? false,
    args,
    env: mergeEnv({ ...c, env: input.env ?? c.env }, image, { HOSTNAME: hostname, ...input.extraEnv }),
    cwd: c.workingDir || image.config.WorkingDir || '/',
    user,
    terminal: c.tty ?? false,
    stdin: c.stdin ?? false,
    hostname,
    netns: input.netns,
    ...(input.extraHosts ? { extraHosts: input.extraHosts } : {}),
    ...(input.dns ? { dns: input.dns } : {}),
    ...(input.devices?.length ? { devices: input.devices } : {}),
    ...(input.deviceCgroupRules?.length ? { deviceCgroupRules: input.deviceCgroupRules } : {}),
    mounts: input.mounts,
    resources: limitsFor(pod, c),
    ...securityFor(pod, c),
    stopSignal: image.config.StopSignal,
    labels: {
      [Labels.podUid]: pod.metadata.uid ?? '',
      [Labels.podName]: pod.metadata.name,
      [Labels.podNamespace]: pod.metadata.namespace ?? 'default',
      [Labels.container]: c.name,
      [Labels.attempt]: String(input.attempt),
      [Labels.startCount]: pod.metadata.annotations?.[Annotations.startCount] ?? '0',
      [Labels.image]: c.image,
      [Labels.imageId]: image.id,
    },
  };
}
