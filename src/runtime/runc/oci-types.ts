/** The subset of the OCI runtime-spec (config.json) that Lantern writes. */
export interface OciSpec {
  ociVersion: string;
  process: OciProcess;
  root: { path: string; readonly: boolean };
  hostname?: string;
  mounts: OciMount[];
  linux: OciLinux;
  annotations?: Record<string, string>;
}

/** The container's init process. */
export interface OciProcess {
  terminal: boolean;
  user: { uid: number; gid: number; additionalGids?: number[] };
  args: string[];
  env: string[];
  cwd: string;
  capabilities: {
    bounding: string[]; effective: string[]; permitted: string[]; inheritable: string[]; ambient: string[];
  };
  rlimits: Array<{ type: string; hard: number; soft: number }>;
  noNewPrivileges: boolean;
  /** AppArmor profile runc applies on exec (only where the host has AppArmor). */
  apparmorProfile?: string;
}

/** One mount, in the order runc performs them. */
export interface OciMount {
  destination: string;
  type: string;
  source: string;
  options?: string[];
}

/** Linux-specific part: namespaces, cgroup, security. */
export interface OciLinux {
  namespaces: Array<{ type: string; path?: string }>;
  cgroupsPath: string;
  resources: OciResources;
  maskedPaths?: string[];
  readonlyPaths?: string[];
  /** Namespaced kernel parameters runc writes inside the container's namespaces. */
  sysctl?: Record<string, string>;
  seccomp?: OciSeccomp;
  /** Device nodes runc creates in the container's /dev. */
  devices?: OciDevice[];
}

/** One linux.devices entry. */
export interface OciDevice {
  path: string; type: string; major: number; minor: number; fileMode?: number; uid?: number; gid?: number;
}

/** cgroup limits in the v1 vocabulary; runc converts them on cgroup v2. */
export interface OciResources {
  devices: Array<{ allow: boolean; access: string; type?: string; major?: number; minor?: number }>;
  memory?: { limit?: number; swap?: number };
  cpu?: { shares?: number; quota?: number; period?: number };
  pids?: { limit: number };
}

/** A libseccomp filter as runc reads it. */
export interface OciSeccomp {
  defaultAction: string;
  /** errno of an SCMP_ACT_ERRNO default action (runc's default: EPERM). */
  defaultErrnoRet?: number;
  architectures: string[];
  syscalls?: OciSyscallRule[];
}

/** One seccomp rule; args are ANDed. */
export interface OciSyscallRule {
  names: string[];
  action: string;
  errnoRet?: number;
  args?: Array<{ index: number; value: number; valueTwo?: number; op: string }>;
}
