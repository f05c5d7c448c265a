/**
 * POST /containers/create: Docker's create body -> a one-container Pod pinned to this node, made as
 * `lcctl run` makes it (the same annotations), but held in Docker's "created" state (run-state
 * stopped) until POST /containers/{id}/start.
 */
import { randomBytes } from 'node:crypto';
import type { Container, Pod, Volume, VolumeMount } from '../../api/pod.js';
import { Annotations } from '../../api/annotations.js';
import { NetworkAnnotations } from '../../api/user-networks.js';
import { DockerError } from './http-util.js';
import { applyNetworkingConfig } from './network-connect.js';
import { DEFAULT_NAMESPACE, DOCKER_NAME_ANNOTATION, podNameFor } from './context.js';

/** Docker-only facts kept on the pod. */
export const DockerAnnotations = {
  /** "true": remove the pod once an attached client has read the output (docker run --rm in the foreground). */
  autoRemoveAttached: 'docker.lantern.dev/auto-remove',
  /** Docker's labels as JSON (label values Kubernetes refuses, compose's config hash, live here). */
  labels: 'docker.lantern.dev/labels',
} as const;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const strList = (v: unknown, field: string): string[] | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new DockerError(400, `${field}: expected a list of strings`);
  return v as string[];
};
const num = (v: unknown, field: string): number | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new DockerError(400, `${field}: expected a non-negative number`);
  return v;
};

const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** A generated name (Docker's are adjective_surname; pod names allow no "_"). */
export function generatedName(): string {
  return `ctr-${randomBytes(5).toString('hex')}`;
}

function restart(hc: Record<string, unknown>): { policy: Pod['spec']['restartPolicy']; raw?: string; max?: number } {
  const rp = isObj(hc.RestartPolicy) ? hc.RestartPolicy : {};
  const name = typeof rp.Name === 'string' ? rp.Name : '';
  const max = num(rp.MaximumRetryCount, 'HostConfig.RestartPolicy.MaximumRetryCount');
  switch (name) {
    case '': case 'no': return { policy: 'Never' };
    case 'always': case 'unless-stopped': return { policy: 'Always', raw: name };
    case 'on-failure': return { policy: 'OnFailure', raw: max ? `on-failure:${max}` : name, ...(max ? { max } : {}) };
    default: throw new DockerError(400, `HostConfig.RestartPolicy.Name: unknown policy "${name}": use no, always, unless-stopped or on-failure`);
  }
}

function ports(body: Record<string, unknown>, hc: Record<string, unknown>): Container['ports'] {
  const keys = new Set<string>([...Object.keys(isObj(body.ExposedPorts) ? body.ExposedPorts : {}), ...Object.keys(isObj(hc.PortBindings) ? hc.PortBindings : {})]);
  const out: NonNullable<Container['ports']> = [];
  for (const k of keys) {
    const m = /^(\d+)(?:\/(tcp|udp))?$/i.exec(k);
    if (!m) throw new DockerError(400, `ExposedPorts: "${k}" is not PORT[/PROTOCOL]`);
    const protocol = (m[2] ?? 'tcp').toUpperCase() as 'TCP' | 'UDP';
    const binds = isObj(hc.PortBindings) && Array.isArray(hc.PortBindings[k]) ? hc.PortBindings[k] as unknown[] : [];
    const bound = binds.filter(isObj).filter((b) => typeof b.HostPort === 'string' && b.HostPort !== '');
    if (bound.length === 0) out.push({ containerPort: Number(m[1]), protocol });
    for (const b of bound) {
      const hostPort = Number(b.HostPort);
      if (!Number.isInteger(hostPort) || hostPort < 1 || hostPort > 65535) throw new DockerError(400, `HostConfig.PortBindings["${k}"]: HostPort "${String(b.HostPort)}" is not a port number`);
      out.push({ containerPort: Number(m[1]), protocol, hostPort, ...(typeof b.HostIp === 'string' && b.HostIp !== '' ? { hostIP: b.HostIp } : {}) });
    }
  }
  return out.length > 0 ? out : undefined;
}

function binds(hc: Record<string, unknown>): { volumes: Volume[]; mounts: VolumeMount[] } {
  const volumes: Volume[] = [];
  const mounts: VolumeMount[] = [];
  (strList(hc.Binds, 'HostConfig.Binds') ?? []).forEach((b, i) => {
    const [src = '', dst, opts = ''] = b.split(':');
    if (!dst || !dst.startsWith('/')) throw new DockerError(400, `HostConfig.Binds[${i}]: "${b}" is not SOURCE:/CONTAINER/PATH[:ro]`);
    const name = `vol-${i}`;
    volumes.push(src.startsWith('/') ? { name, hostPath: { path: src } } : { name, persistentVolumeClaim: { claimName: src } });
    mounts.push(opts.split(',').includes('ro') ? { name, mountPath: dst, readOnly: true } : { name, mountPath: dst });
  });
  return { volumes, mounts };
}

/** Build the pod for a create body; name from ?name= (or generated). */
export function podFromCreate(raw: unknown, name: string | undefined, nodeName: string): Pod {
  if (!isObj(raw)) throw new DockerError(400, 'the create body must be a JSON object with at least "Image"');
  const body = raw;
  const hc = isObj(body.HostConfig) ? body.HostConfig : {};
  if (typeof body.Image !== 'string' || body.Image === '') throw new DockerError(400, 'Image: the image to run is required (config.Image)');
  const podName = name === undefined ? generatedName() : podNameFor(name);
  if (podName === undefined) throw new DockerError(400, `Invalid container name (${name ?? ''}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  const c: Container = { name: podName, image: body.Image, imagePullPolicy: 'IfNotPresent' };
  const entrypoint = strList(body.Entrypoint, 'Entrypoint');
  const cmd = strList(body.Cmd, 'Cmd');
  if (entrypoint && entrypoint.length > 0) { c.command = entrypoint; if (cmd?.length) c.args = cmd; } else if (entrypoint) { if (cmd?.length) c.command = cmd; } else if (cmd?.length) c.args = cmd;
  const env = strList(body.Env, 'Env') ?? [];
  if (env.length > 0) c.env = env.map((e) => { const i = e.indexOf('='); return i < 0 ? { name: e, value: '' } : { name: e.slice(0, i), value: e.slice(i + 1) }; });
  if (typeof body.WorkingDir === 'string' && body.WorkingDir !== '') c.workingDir = body.WorkingDir;
  const sc: NonNullable<Container['securityContext']> = { allowPrivilegeEscalation: true };
  if (typeof body.User === 'string' && body.User !== '') {
    const m = /^(\d+|root)(?::(\d+|root))?$/.exec(body.User);
    if (!m) throw new DockerError(400, `User: "${body.User}": Lantern needs a numeric uid[:gid]; names from the image are not resolved`);
    sc.runAsUser = m[1] === 'root' ? 0 : Number(m[1]);
    if (m[2] !== undefined) sc.runAsGroup = m[2] === 'root' ? 0 : Number(m[2]);
  }
  if (hc.Privileged === true) sc.privileged = true;
  if (hc.ReadonlyRootfs === true) sc.readOnlyRootFilesystem = true;
  const add = strList(hc.CapAdd, 'HostConfig.CapAdd');
  const drop = strList(hc.CapDrop, 'HostConfig.CapDrop');
  if (add?.length || drop?.length) sc.capabilities = { ...(add?.length ? { add } : {}), ...(drop?.length ? { drop } : {}) };
  c.securityContext = sc;
  if (body.Tty === true) c.tty = true;
  if (body.OpenStdin === true) c.stdin = true;
  const p = ports(body, hc);
  if (p) c.ports = p;
  const limits: Record<string, string> = {};
  const memory = num(hc.Memory, 'HostConfig.Memory');
  if (memory) limits.memory = String(memory);
  const nanoCpus = num(hc.NanoCpus, 'HostConfig.NanoCpus');
  if (nanoCpus) limits.cpu = `${Math.max(1, Math.round(nanoCpus / 1e6))}m`;
  if (Object.keys(limits).length > 0) c.resources = { limits };
  const { volumes, mounts } = binds(hc);
  if (mounts.length > 0) c.volumeMounts = mounts;

  const rs = restart(hc);
  const detached = body.AttachStdout !== true && body.AttachStderr !== true && body.AttachStdin !== true;
  const annotations: Record<string, string> = { [Annotations.dockerRun]: 'true', [Annotations.runState]: 'stopped' };
  if (name !== undefined && name !== podName) annotations[DOCKER_NAME_ANNOTATION] = name;
  if (hc.AutoRemove === true) {
    if (rs.policy !== 'Never') throw new DockerError(400, 'conflicting options: cannot specify both --restart and --rm');
    // Detached, the node removes it when it ends; attached, the attach removes it after reading all output.
    annotations[detached ? Annotations.autoRemove : DockerAnnotations.autoRemoveAttached] = 'true';
  }
  if (rs.raw) annotations[Annotations.dockerRestart] = rs.raw;
  if (rs.max !== undefined) annotations[Annotations.maxRestarts] = String(rs.max);
  const pids = num(hc.PidsLimit, 'HostConfig.PidsLimit');
  if (pids) annotations[Annotations.pidsLimit] = String(pids);
  const dockerLabels = isObj(body.Labels) ? Object.fromEntries(Object.entries(body.Labels).map(([k, v]) => [k, String(v)])) : {};
  const labels = Object.fromEntries(Object.entries(dockerLabels).filter(([k, v]) => LABEL_KEY.test(k) && LABEL_VALUE.test(v)));
  if (Object.keys(dockerLabels).length > Object.keys(labels).length) annotations[DockerAnnotations.labels] = JSON.stringify(dockerLabels);
  const stopTimeout = num(body.StopTimeout, 'StopTimeout');
  const pod: Pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: podName, namespace: DEFAULT_NAMESPACE, annotations },
    spec: { nodeName, containers: [c], restartPolicy: rs.policy, terminationGracePeriodSeconds: stopTimeout ?? 10 },
  };
  if (Object.keys(labels).length > 0) pod.metadata.labels = labels;
  if (volumes.length > 0) pod.spec.volumes = volumes;
  const net = typeof hc.NetworkMode === 'string' && hc.NetworkMode !== '' && hc.NetworkMode !== 'default' ? hc.NetworkMode : undefined;
  if (net === 'host') { pod.spec.hostNetwork = true; pod.spec.networkMode = 'host'; } else if (net === 'none' || net === 'bridge') pod.spec.networkMode = net;
  else if (net !== undefined) annotations[NetworkAnnotations.primary] = podNameFor(net) ?? net;
  if (typeof body.Hostname === 'string' && body.Hostname !== '') pod.spec.hostname = body.Hostname;
  applyNetworkingConfig(pod, body);
  return pod;
}

/** Docker's labels of a pod (the full set when some could not be pod labels). */
export function dockerLabels(pod: Pod): Record<string, string> {
  const raw = pod.metadata.annotations?.[DockerAnnotations.labels];
  if (raw) { try { const v: unknown = JSON.parse(raw); if (isObj(v)) return v as Record<string, string>; } catch { /* fall back */ } }
  return pod.metadata.labels ?? {};
}
