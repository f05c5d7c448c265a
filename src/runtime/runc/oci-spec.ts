import { ApiError } from '../../api/errors.js';
import type { SeccompProfile } from '../../api/seccomp-profile.js';
import type { ContainerConfig, MountSpec } from '../types.js';
import { resolveCapabilities } from './capabilities.js';
import type { EtcFiles } from './etc-files.js';
import type { OciMount, OciResources, OciSeccomp, OciSpec } from './oci-types.js';
import { defaultSeccompProfile, resolveSeccompProfile } from './seccomp.js';
import { buildDevices } from './devices.js';

/** Host facts and paths the spec needs besides the ContainerConfig. */
export interface SpecContext {
  rootfsPath: string;
  etcFiles: EtcFiles;
  hostname: string;
  /** cgroupfs path, e.g. "/lantern/<id>". */
  cgroupsPath: string;
  cgroupV2: boolean;
  /** The host's hard RLIMIT_NOFILE; the container's may not exceed it. */
  hostNofileHard: number;
  hostArch?: string;
  /** Capabilities the host can grant (its bounding set); default all. */
  hostCapabilities?: readonly string[];
  /** os.release() of the host, for the profile rules with a minimum kernel; default this host's. */
  kernelRelease?: string;
  /** The decoded profile of a Localhost seccompProfile (seccomp-localhost.ts reads it). */
  seccompProfile?: SeccompProfile;
  /** The AppArmor profile to apply (apparmor.ts decides); absent on hosts without AppArmor. */
  appArmorProfile?: string;
}

/** Docker's masked paths: hidden behind /dev/null or an empty read-only tmpfs. */
export const MASKED_PATHS = ['/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats',
  '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware'];
/** Docker's read-only /proc paths. */
export const READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const NOFILE_SOFT = 1024;
const NOFILE_HARD = 1048576;

/** Builds config.json for runc from a ContainerConfig (Docker's defaults where the config says nothing). */
export function buildOciSpec(config: ContainerConfig, ctx: SpecContext): OciSpec {
  const privileged = config.privileged === true;
  const caps = resolveCapabilities(config.capabilities, privileged, ctx.hostCapabilities);
  const env = [...config.env];
  if (!env.some((e) => e.startsWith('PATH='))) env.push(DEFAULT_PATH);
  if (!env.some((e) => e.startsWith('HOSTNAME='))) env.push(`HOSTNAME=${ctx.hostname}`);
  const hard = Math.min(NOFILE_HARD, ctx.hostNofileHard);
  const namespaces: Array<{ type: string; path?: string }> = [{ type: 'uts' }, { type: 'mount' }];
  // hostPID/hostIPC: no namespace entry means runc leaves the process in the host's.
  if (config.hostPID !== true) namespaces.unshift({ type: 'pid' });
  if (config.hostIPC !== true) namespaces.splice(config.hostPID === true ? 0 : 1, 0, { type: 'ipc' });
  const masked = !privileged && config.procMount !== 'Unmasked';
  // 'none': a namespace of its own, where runc brings up loopback and nothing else.
  if (config.netns === 'none') namespaces.push({ type: 'network' });
  else if (config.netns !== 'host') namespaces.push({ type: 'network', path: config.netns });
  // A private cgroup namespace on v1 would hide nothing useful and breaks some tools; Docker uses it only on v2.
  if (ctx.cgroupV2) namespaces.push({ type: 'cgroup' });
  const seccomp = seccompFor(config, ctx, caps, privileged);
  const devices = buildDevices(config);
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: config.terminal === true,
      user: { uid: config.user.uid, gid: config.user.gid, additionalGids: config.user.additionalGids ?? [] },
      args: config.args,
      env,
      cwd: config.cwd || '/',
      capabilities: { bounding: caps, effective: caps, permitted: caps, inheritable: [], ambient: [] },
      rlimits: [{ type: 'RLIMIT_NOFILE', hard, soft: Math.min(NOFILE_SOFT, hard) }],
      noNewPrivileges: config.noNewPrivileges ?? !privileged,
      ...(ctx.appArmorProfile ? { apparmorProfile: ctx.appArmorProfile } : {}),
    },
    root: { path: ctx.rootfsPath, readonly: config.readOnlyRootfs === true },
    hostname: ctx.hostname,
    mounts: buildMounts(config, ctx, privileged),
    linux: {
      namespaces,
      cgroupsPath: ctx.cgroupsPath,
      resources: buildResources(config, privileged, devices.rules),
      ...(devices.devices.length > 0 ? { devices: devices.devices } : {}),
      ...(masked ? { maskedPaths: MASKED_PATHS, readonlyPaths: READONLY_PATHS } : {}),
      ...(config.sysctls && Object.keys(config.sysctls).length > 0 ? { sysctl: { ...config.sysctls } } : {}),
      ...(seccomp ? { seccomp } : {}),
    },
    annotations: { 'io.lantern.name': config.name },
  };
}

/**
 * The container's filter, decided on its final capability set: none when privileged or Unconfined (as
 * Docker), the Localhost profile resolved, else Docker's default profile.
 */
function seccompFor(config: ContainerConfig, ctx: SpecContext, caps: readonly string[], privileged: boolean): OciSeccomp | undefined {
  const type = config.seccompProfile?.type ?? 'RuntimeDefault';
  if (privileged || type === 'Unconfined') return undefined;
  const target = { caps, ...(ctx.hostArch ? { hostArch: ctx.hostArch } : {}), ...(ctx.kernelRelease ? { kernel: ctx.kernelRelease } : {}) };
  if (type === 'Localhost') {
    if (!ctx.seccompProfile) throw new ApiError('Invalid', `seccomp profile ${config.seccompProfile?.localhostProfile ?? ''} was not loaded: Localhost needs the profile's content`);
    return resolveSeccompProfile(ctx.seccompProfile, target);
  }
  return defaultSeccompProfile(caps, ctx.hostArch, ctx.kernelRelease);
}

function buildResources(config: ContainerConfig, privileged: boolean, deviceRules: OciResources['devices']): OciResources {
  const r = config.resources;
  // Deny all (allow all when privileged), then the container's devices: later rules win in the cgroup.
  const res: OciResources = { devices: [{ allow: privileged, access: 'rwm' }, ...(privileged ? [] : deviceRules)] };
  // swap == limit means no swap on top of the limit: --memory is a hard cap, as in Docker.
  if (r.memoryBytes !== undefined) res.memory = { limit: r.memoryBytes, swap: r.memoryBytes };
  if (r.cpuQuota !== undefined || r.cpuShares !== undefined || r.cpuPeriod !== undefined) {
    res.cpu = {};
    if (r.cpuShares !== undefined) res.cpu.shares = r.cpuShares;
    if (r.cpuQuota !== undefined) {
      res.cpu.quota = r.cpuQuota;
      res.cpu.period = r.cpuPeriod ?? 100000;
    } else if (r.cpuPeriod !== undefined) res.cpu.period = r.cpuPeriod;
  }
  if (r.pidsLimit !== undefined) res.pids = { limit: r.pidsLimit };
  return res;
}

function buildMounts(config: ContainerConfig, ctx: SpecContext, privileged: boolean): OciMount[] {
  const defaults: OciMount[] = [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts',
      options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', privileged ? 'rw' : 'ro'] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup',
      options: ['nosuid', 'noexec', 'nodev', 'relatime', privileged ? 'rw' : 'ro'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
    etcBind('/etc/hosts', ctx.etcFiles.hosts),
    etcBind('/etc/hostname', ctx.etcFiles.hostname),
    etcBind('/etc/resolv.conf', ctx.etcFiles.resolvConf),
  ];
  const user = config.mounts.map(toOciMount);
  // A user mount on the same destination replaces the default, as in Docker (e.g. a bigger /dev/shm).
  const taken = new Set(user.map((m) => normaliseDest(m.destination)));
  return [...defaults.filter((m) => !taken.has(m.destination)), ...user];
}

function etcBind(destination: string, source: string): OciMount {
  return { destination, type: 'bind', source, options: ['rbind', 'rprivate'] };
}

function toOciMount(m: MountSpec): OciMount {
  const extra = m.options ?? [];
  if (m.type === 'tmpfs') {
    return { destination: m.destination, type: 'tmpfs', source: 'tmpfs',
      options: ['nosuid', 'nodev', ...(m.readOnly ? ['ro'] : []), ...extra] };
  }
  return { destination: m.destination, type: 'bind', source: m.source,
    options: ['rbind', 'rprivate', ...(m.readOnly ? ['ro'] : []), ...extra] };
}

function normaliseDest(d: string): string {
  return d.length > 1 ? d.replace(/\/+$/, '') : d;
}
