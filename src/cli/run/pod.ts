/** Map `lcctl run` flags onto a single-container Pod, the way Docker's flags mean it. */
import type { Container, EnvVar, Pod, Volume, VolumeMount } from '../../api/pod.js';
import type { Parsed } from '../args.js';
import { Annotations } from '../../api/annotations.js';
import { UsageError } from '../errors.js';
import { containerNameFor, generateName } from './names.js';
import { constraintsAffinity } from './constraints.js';
import { addMounts } from './mount-flag.js';
import { dockerCpus, dockerMemory, dockerPublish, dockerRestart, dockerUser, dockerVolume, envFileLines, envPair } from './units.js';
import { dockerSecurityOpts } from './security-opts.js';
import { BUILTIN_MODES, annotateUserNetwork } from './user-network.js';
import { SECCOMP_PROFILE_ANNOTATION_PREFIX } from '../../api/seccomp-profile.js';
import { applyGpus, parseGpus } from './gpus.js';
import { applyDevices } from './devices.js';
import { annotateHealth } from './health-flags.js';

/** What the mapping needs from the outside world (injected for tests). */
export interface RunEnv {
  env: NodeJS.ProcessEnv;
  cwd: string;
  readFile: (path: string) => string;
  generateName?: () => string;
}

function labelMap(items: string[]): Record<string, string> | undefined {
  if (items.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const l of items) {
    const eq = l.indexOf('=');
    out[eq < 0 ? l : l.slice(0, eq)] = eq < 0 ? '' : l.slice(eq + 1);
  }
  return out;
}

function envVars(p: Parsed, e: RunEnv): EnvVar[] {
  const lines: { raw: string; flag: string }[] = [];
  for (const f of p.list('env-file')) {
    let text: string;
    try { text = e.readFile(f); } catch (err) { throw new UsageError(`cannot read --env-file ${f}: ${(err as Error).message}`); }
    for (const l of envFileLines(text)) lines.push({ raw: l, flag: '--env-file' });
  }
  for (const l of p.list('env')) lines.push({ raw: l, flag: '-e, --env' });
  const byName = new Map<string, string>();
  for (const { raw, flag } of lines) {
    const pair = envPair(raw, e.env, flag);
    if (pair) { byName.delete(pair.name); byName.set(pair.name, pair.value); }
  }
  return [...byName].map(([name, value]) => ({ name, value }));
}

function volumes(p: Parsed, e: RunEnv): { volumes: Volume[]; mounts: VolumeMount[] } {
  const vols: Volume[] = [];
  const mounts: VolumeMount[] = [];
  let n = 0;
  for (const raw of p.list('volume')) {
    const v = dockerVolume(raw, e.cwd);
    let name: string;
    if (v.kind === 'named') {
      name = `vol-${v.source.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`.slice(0, 63).replace(/-+$/, '');
      if (!vols.some((x) => x.name === name)) vols.push({ name, persistentVolumeClaim: { claimName: v.source } });
    } else {
      name = `vol-${n++}`;
      vols.push(v.kind === 'bind' ? { name, hostPath: { path: v.source } } : { name, emptyDir: {} });
    }
    mounts.push(v.readOnly ? { name, mountPath: v.target, readOnly: true } : { name, mountPath: v.target });
  }
  for (const raw of p.list('tmpfs')) {
    const target = raw.split(':')[0]!;
    if (!target.startsWith('/')) throw new UsageError(`invalid argument "${raw}" for "--tmpfs" flag: the container path must be absolute`);
    const name = `tmpfs-${n++}`;
    vols.push({ name, emptyDir: { medium: 'Memory' } });
    mounts.push({ name, mountPath: target });
  }
  addMounts(p.list('mount'), e.cwd, vols, mounts);
  return { volumes: vols, mounts };
}

/** Build the Pod `lcctl run` creates (name generated unless --name). */
export function buildRunPod(p: Parsed, e: RunEnv): Pod {
  const [image, ...cmd] = p.args;
  if (image === undefined || image === '') throw new UsageError('"lcctl run" requires at least 1 argument (the image)');
  const name = p.str('name') ?? (e.generateName ?? generateName)();
  const restartRaw = p.str('restart');
  const restart = dockerRestart(restartRaw ?? 'no');
  if (p.bool('rm') && restart.policy !== 'Never') throw new UsageError('conflicting options: cannot specify both --restart and --rm');
  const network = p.str('network') ?? p.str('net') ?? 'bridge';
  const userNetwork = !BUILTIN_MODES.has(network);
  if (userNetwork && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(network)) {
    throw new UsageError(`invalid argument "${network}" for "--network" flag: bridge, host, none or the name of a network (lcctl network ls)`);
  }
  if (!userNetwork && (p.has('ip') || p.has('network-alias') || p.has('network-param'))) {
    throw new UsageError('--ip, --network-alias and --network-param need a user-defined network: lcctl network create NAME, then --network NAME');
  }
  const pull = p.str('pull') ?? 'missing';
  const pullPolicy = ({ missing: 'IfNotPresent', always: 'Always', never: 'Never' } as const)[pull as 'missing'];
  if (!pullPolicy) throw new UsageError(`invalid argument "${pull}" for "--pull" flag: expected missing, always or never`);

  const c: Container = { name: containerNameFor(name), image, imagePullPolicy: pullPolicy };
  const entrypoint = p.str('entrypoint');
  if (entrypoint !== undefined) {
    // --entrypoint "" resets the image entrypoint, so the command alone runs.
    if (entrypoint === '') { if (cmd.length > 0) c.command = cmd; } else { c.command = [entrypoint]; if (cmd.length > 0) c.args = cmd; }
  } else if (cmd.length > 0) {
    c.args = cmd;
  }
  const workdir = p.str('workdir');
  if (workdir !== undefined) c.workingDir = workdir;
  const env = envVars(p, e);
  if (env.length > 0) c.env = env;
  const ports = p.list('publish').flatMap(dockerPublish);
  if (ports.length > 0) c.ports = ports;
  const limits: Record<string, string> = {};
  const cpus = p.str('cpus');
  if (cpus !== undefined) limits.cpu = dockerCpus(cpus);
  const memory = p.str('memory');
  if (memory !== undefined) limits.memory = dockerMemory(memory);
  if (Object.keys(limits).length > 0) c.resources = { limits };
  const { volumes: vols, mounts } = volumes(p, e);
  if (mounts.length > 0) c.volumeMounts = mounts;

  const sc: NonNullable<Container['securityContext']> = {};
  const user = p.str('user');
  if (user !== undefined) {
    const u = dockerUser(user);
    sc.runAsUser = u.uid;
    if (u.gid !== undefined) sc.runAsGroup = u.gid;
  }
  if (p.bool('read-only')) sc.readOnlyRootFilesystem = true;
  if (p.bool('privileged')) sc.privileged = true;
  const add = p.list('cap-add');
  const drop = p.list('cap-drop');
  if (add.length > 0 || drop.length > 0) {
    sc.capabilities = {};
    if (add.length > 0) sc.capabilities.add = add;
    if (drop.length > 0) sc.capabilities.drop = drop;
  }
  const sec = dockerSecurityOpts(p.list('security-opt'), e.readFile);
  if (sec.seccomp) sc.seccompProfile = sec.seccomp;
  if (sec.appArmor) sc.appArmorProfile = sec.appArmor;
  // Docker's default: setuid programs may gain privileges unless no-new-privileges is asked for
  // (a Pod that says nothing gets no_new_privs on Lantern, so run says it either way).
  sc.allowPrivilegeEscalation = sec.noNewPrivileges !== true;
  c.securityContext = sc;
  if (p.bool('interactive')) c.stdin = true;
  if (p.bool('tty')) c.tty = true;

  const annotations: Record<string, string> = { [Annotations.dockerRun]: 'true' };
  if (sec.seccompContent !== undefined) annotations[`${SECCOMP_PROFILE_ANNOTATION_PREFIX}${c.name}`] = sec.seccompContent;
  // Detached, the node removes the pod when it ends. In the foreground lcctl removes it itself once it
  // has read all the output: a node-side removal could delete the log before lcctl has read it.
  if (p.bool('rm') && p.bool('detach')) annotations[Annotations.autoRemove] = 'true';
  if (restartRaw !== undefined) annotations[Annotations.dockerRestart] = restartRaw;
  if (restart.maxRestarts !== undefined) annotations[Annotations.maxRestarts] = String(restart.maxRestarts);
  const pids = p.int('pids-limit');
  if (pids !== undefined && pids > 0) annotations[Annotations.pidsLimit] = String(pids);
  annotateHealth(p, annotations);

  const stopTimeout = p.int('stop-timeout') ?? 10;
  if (stopTimeout < 0) throw new UsageError(`invalid argument "${stopTimeout}" for "--stop-timeout" flag: must not be negative`);
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: p.str('namespace') || 'default', annotations },
    spec: {
      containers: [c],
      restartPolicy: restart.policy,
      terminationGracePeriodSeconds: stopTimeout,
    },
  };
  const labels = labelMap(p.list('label'));
  if (labels) pod.metadata.labels = labels;
  if (vols.length > 0) pod.spec.volumes = vols;
  if (userNetwork) annotateUserNetwork(pod, network, p);
  else if (p.has('network') || p.has('net')) pod.spec.networkMode = network === 'default' ? 'bridge' : network as 'bridge' | 'host' | 'none';
  if (network === 'host') pod.spec.hostNetwork = true;
  const hostname = p.str('hostname');
  if (hostname !== undefined) pod.spec.hostname = hostname;
  const nodeAffinity = constraintsAffinity(p.list('constraint'));
  if (nodeAffinity) pod.spec.affinity = { nodeAffinity };
  const runtime = p.str('runtime');
  if (runtime !== undefined && runtime !== '') pod.spec.runtimeClassName = runtime;
  const gpus = p.str('gpus');
  if (gpus !== undefined) applyGpus(pod, c, parseGpus(gpus));
  applyDevices(pod, p.list('device'), p.list('device-cgroup-rule'));
  return pod;
}
