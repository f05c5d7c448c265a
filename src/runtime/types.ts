import type { Readable, Writable } from 'node:stream';
import type { ContainerUsage, PodExecSession } from '../api/node-services.js';

/** A bind or tmpfs mount inside a container. */
export interface MountSpec {
  destination: string;
  /** Host path for binds; ignored for tmpfs. */
  source: string;
  type: 'bind' | 'tmpfs';
  readOnly?: boolean;
  options?: string[];
}

/** cgroup limits for one container; undefined means unlimited. */
export interface ResourceLimits {
  /** Hard memory limit in bytes (docker --memory). */
  memoryBytes?: number;
  /** CPU quota in microseconds per period (docker --cpus 0.5 => quota 50000, period 100000). */
  cpuQuota?: number;
  cpuPeriod?: number;
  /** Relative CPU weight, cgroup v1 shares (from the cpu request). */
  cpuShares?: number;
  /** Maximum number of tasks (docker --pids-limit). */
  pidsLimit?: number;
}

/** Kubernetes' choice of a seccomp or AppArmor profile; localhostProfile only with Localhost. */
export interface SecurityProfileChoice {
  type: 'RuntimeDefault' | 'Unconfined' | 'Localhost';
  localhostProfile?: string;
}

/** Everything the runtime needs to create one container. Built by the agent from a Pod. */
export interface ContainerConfig {
  /** Unique runtime id (64 hex chars, as Docker's). */
  id: string;
  /** Human name, for logs and conmon. */
  name: string;
  /** Lower layer directories, top-most first (overlay lowerdir order); the runtime mounts them with a private upper dir. */
  rootfsLayers: string[];
  /**
   * A rootfs prepared and mounted by someone else (a snapshotter's active snapshot, e.g. a build step's):
   * used as it is and never mounted or unmounted by the runtime. rootfsLayers must then be empty.
   */
  rootfsPath?: string;
  readOnlyRootfs?: boolean;
  args: string[];
  env: string[];
  cwd: string;
  user: { uid: number; gid: number; additionalGids?: number[] };
  terminal?: boolean;
  /** Keep stdin open (docker -i). */
  stdin?: boolean;
  hostname?: string;
  /** Path of the pod's network namespace, 'host' to share the host's, or 'none' for a new one with loopback only. */
  netns: string | 'host' | 'none';
  mounts: MountSpec[];
  resources: ResourceLimits;
  capabilities?: { add?: string[]; drop?: string[] };
  privileged?: boolean;
  noNewPrivileges?: boolean;
  /** Signal sent by stop before the grace period ends (default SIGTERM). */
  stopSignal?: string;
  /** Labels stored beside the container so the agent can re-adopt it after a restart. */
  labels: Record<string, string>;
  /**
   * Seccomp filter (Kubernetes' seccompProfile). Absent or RuntimeDefault: Docker's default profile;
   * Unconfined: none; Localhost: `content` (a Docker-format profile, sent inline by lcctl run), else the
   * node's file `<seccomp dir>/<localhostProfile>`. Privileged containers never get one (as Docker).
   */
  seccompProfile?: SecurityProfileChoice & { content?: string };
  /**
   * AppArmor profile (Kubernetes' appArmorProfile). Absent or RuntimeDefault: lantern-default where the
   * host has AppArmor, nothing where it has none; Localhost: the profile of that name, already loaded.
   */
  appArmorProfile?: SecurityProfileChoice;
  /** Extra /etc/hosts lines, e.g. the pod IP with the hostname (the hostname maps to 127.0.1.1 otherwise). */
  extraHosts?: Array<{ ip: string; names: string[] }>;
  /** Replaces the matching parts of the host's resolv.conf (k8s dnsConfig). */
  dns?: { nameservers?: string[]; searches?: string[]; options?: string[] };
  /** Host device nodes created in the container, each with a cgroup allow rule (GPUs, --device). */
  devices?: DeviceSpec[];
  /** Extra device cgroup allow rules, Docker's --device-cgroup-rule syntax ('c 188:* rwm'). */
  deviceCgroupRules?: string[];
  /** The OCI runtime handler (RuntimeClass.handler: runc, runsc); absent: the node's default. */
  runtimeHandler?: string;
  /** Share the host's PID / IPC namespace (Kubernetes' hostPID / hostIPC). */
  hostPID?: boolean;
  hostIPC?: boolean;
  /** Namespaced sysctls (Kubernetes' pod securityContext.sysctls; validated by the API). */
  sysctls?: Record<string, string>;
  /** Unmasked: /proc without the masked and read-only paths (Kubernetes' procMount). */
  procMount?: 'Default' | 'Unmasked';
}

/** One device node in a container (OCI linux.devices); type/major/minor are read from the host when absent. */
export interface DeviceSpec {
  /** Path inside the container, e.g. /dev/nvidia0. */
  path: string;
  /** Path on the host (default: path). */
  hostPath?: string;
  /** 'c' | 'b' | 'u' | 'p'. */
  type?: string;
  major?: number;
  minor?: number;
  /** cgroup access: any of r, w, m (default rwm). */
  permissions?: string;
  fileMode?: number;
  uid?: number;
  gid?: number;
}

export type RuntimeStatus = 'created' | 'running' | 'stopped' | 'unknown';

/** What the runtime knows of one container, read from runc and conmon's files. */
export interface ContainerInfo {
  id: string;
  status: RuntimeStatus;
  pid?: number;
  exitCode?: number;
  /** True when the kernel's OOM killer ended it. */
  oomKilled?: boolean;
  createdAt?: string;
  startedAt?: string;
  finishedAt?: string;
  labels: Record<string, string>;
  /** The container's output in the CRI log format: "<RFC3339Nano> stdout|stderr F|P <text>" per line. */
  logPath: string;
}

/** CPU and memory of a running container, read from its cgroup: what the API shows, less the container's name. */
export type ContainerStats = Omit<ContainerUsage, 'container'>;

export interface ExecOptions {
  cmd: string[];
  env?: string[];
  user?: { uid: number; gid: number };
  cwd?: string;
  tty?: boolean;
  stdin?: boolean;
  /** Initial terminal size with tty. */
  size?: { cols: number; rows: number };
}

/**
 * A running exec, as the API relays it (stderr absent with a tty, where it is merged into stdout; exit
 * 126 cannot execute, 127 not found, as Docker), plus a choice of signal; resize only matters with a tty.
 */
export interface ExecSession extends PodExecSession {
  kill(signal?: string): void;
}

/** A connection to a container's main process (docker attach); output before it connected is not replayed. */
export interface AttachSession {
  /** Present when the container was created with stdin; ending it closes the container's stdin. */
  stdin?: Writable;
  stdout: Readable;
  /** Absent with a terminal, where stderr is merged into stdout. */
  stderr?: Readable;
  resize(size: { cols: number; rows: number }): void;
  /** Disconnects; the container keeps running. */
  detach(): void;
  /** Resolves when the connection ends (the container exited or detach was called). */
  closed: Promise<void>;
}

/** The narrow interface over an OCI runtime. The real one is runc monitored by conmon. */
export interface ContainerRuntime {
  readonly name: string;
  version(): Promise<string>;
  /** Prepare the bundle and rootfs and create the container under its monitor (state "created"). */
  create(config: ContainerConfig): Promise<ContainerInfo>;
  start(id: string): Promise<void>;
  /** Send stopSignal, then SIGKILL after graceSeconds; resolves once the container has stopped. */
  stop(id: string, graceSeconds: number): Promise<void>;
  /** Remove a stopped container and everything it owns on disk (rootfs upper dir, bundle, logs). */
  remove(id: string): Promise<void>;
  /** Resolves once the container has stopped, with what inspect then says (its exit code). */
  wait(id: string): Promise<ContainerInfo>;
  inspect(id: string): Promise<ContainerInfo | undefined>;
  list(): Promise<ContainerInfo[]>;
  exec(id: string, opts: ExecOptions): Promise<ExecSession>;
  stats(id: string): Promise<ContainerStats | undefined>;
  /** Connects to the main process's stdio (for `run -it`); attach before start to see all output. Optional. */
  attach?(id: string): Promise<AttachSession>;
  /** The runtime handlers it runs (Node status.runtimeHandlers), the default first; absent: its name only. */
  handlerNames?(): string[];
}
