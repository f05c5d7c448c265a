import { mkdir, readdir, rm } from 'node:fs/promises';
import { arch, release } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ApiError } from '../../api/errors.js';
import type {
  AttachSession, ContainerConfig, ContainerInfo, ContainerRuntime, ContainerStats, ExecOptions, ExecSession,
} from '../types.js';
import { AppArmorSupport, type AppArmorPaths } from './apparmor.js';
import { attachPaths, attachTo } from './attach.js';
import { ensureAttachHelper } from './attach-helper.js';
import { containerCgroupPath, isCgroupV2, readCgroupStats, removeCgroupTree } from './cgroups.js';
import { launchConmon } from './conmon.js';
import { ContainerDir, readJson, writeJsonAtomic, type ContainerMeta } from './container-dir.js';
import { hostCapabilitySet, hostNofileHard } from './host.js';
import { defaultHostname, writeEtcFiles } from './etc-files.js';
import { startExec } from './exec.js';
import { buildOciSpec } from './oci-spec.js';
import { runCommand, signalNumber, sleep } from './proc.js';
import { isMountPoint, mountOverlay, unmountRootfs } from '../../host/overlay.js';
import { RuncCli } from './runc-cli.js';
import { localhostSeccompProfile } from './seccomp-localhost.js';
import { conmonPid, processRunning, readContainerInfo } from './status.js';
import { isValidId, toApiError, validateConfig } from './validate.js';

/** Where RuncRuntime keeps its files and which binaries it runs. */
export interface RuncRuntimeOptions {
  /** Root of all container dirs (stateDir/containers/<id>/) and conmon's attach sockets. */
  stateDir: string;
  /** Default /usr/sbin/runc. */
  runcPath?: string;
  /** Default /usr/bin/conmon. */
  conmonPath?: string;
  /** runc's --root (its own state). Default stateDir/runc. */
  runcRoot?: string;
  /** Further global flags for runcPath (another OCI runtime with runc's CLI, e.g. runsc --platform=ptrace). */
  runtimeArgs?: readonly string[];
  /** The runtime's name (ContainerRuntime.name); default 'runc'. */
  name?: string;
  /** cgroup under which each container gets "<parent>/<id>". Default "lantern". */
  cgroupParent?: string;
  /** Where Localhost seccomp profiles are read from. Default <parent of stateDir>/seccomp (the node's data dir). */
  seccompProfileDir?: string;
  /** The node's log (default stderr, "lanternd: runtime: ..."). */
  log?: (msg: string) => void;
  /** Where AppArmor is probed (tests); default the host's paths. */
  appArmorPaths?: AppArmorPaths;
  /** The C compiler that builds the attach helper (lanternd hands in $CC); default cc. */
  cc?: string;
}

/** How long stop() waits for the container to die after SIGKILL before giving up. */
const KILL_WAIT_MS = 30_000;

/** Real containers: runc creates and runs them, one conmon per container monitors them and keeps logs. */
export class RuncRuntime implements ContainerRuntime {
  readonly name: string;
  readonly stateDir: string;
  readonly cgroupParent: string;
  private readonly runc: RuncCli;
  private readonly conmonPath: string;
  private readonly socketDir: string;
  private readonly seccompDir: string;
  private readonly appArmor: AppArmorSupport;
  private readonly cc: string;

  constructor(opts: RuncRuntimeOptions) {
    this.stateDir = resolve(opts.stateDir);
    this.cgroupParent = opts.cgroupParent ?? 'lantern';
    this.name = opts.name ?? 'runc';
    this.runc = new RuncCli(opts.runcPath ?? '/usr/sbin/runc', resolve(opts.runcRoot ?? join(this.stateDir, 'runc')), opts.runtimeArgs);
    this.conmonPath = opts.conmonPath ?? '/usr/bin/conmon';
    this.socketDir = join(this.stateDir, 'sockets');
    this.seccompDir = resolve(opts.seccompProfileDir ?? join(dirname(this.stateDir), 'seccomp'));
    const log = opts.log ?? ((m: string) => console.error(`lanternd: runtime: ${m}`));
    this.appArmor = new AppArmorSupport(log, opts.appArmorPaths);
    this.cc = opts.cc ?? 'cc';
  }

  /** "runc version 1.1.5 / conmon version 2.1.6". */
  async version(): Promise<string> {
    // As Kubernetes shows a runtime ("containerd://1.6.20"): the bare versions, "1.1.5+ds1 (conmon 2.1.6)".
    const conmon = await runCommand(this.conmonPath, ['--version'], { timeoutMs: 10_000 });
    const bare = (text: string): string => /version\s+(\S+)/.exec(text)?.[1] ?? text.trim();
    return `${bare(await this.runc.version())} (conmon ${bare(conmon.stdout.split('\n')[0] ?? '')})`;
  }

  async create(config: ContainerConfig): Promise<ContainerInfo> {
    validateConfig(config);
    const dir = new ContainerDir(this.stateDir, config.id);
    // Ids are 256 random bits chosen by the caller; the directory is the record of what exists here.
    if (dir.exists()) {
      throw new ApiError('AlreadyExists', `container ${config.id} already exists: remove it first or use another id`);
    }
    const meta: ContainerMeta = {
      id: config.id, name: config.name, cuuid: config.id,
      cgroupPath: containerCgroupPath(this.cgroupParent, config.id),
      stopSignal: config.stopSignal ?? 'SIGTERM', terminal: config.terminal === true, stdin: config.stdin === true,
      createdAt: new Date().toISOString(),
    };
    try {
      for (const d of [dir.rootfs, dir.upper, dir.work, dir.exitDir, dir.persistDir, this.socketDir]) {
        await mkdir(d, { recursive: true });
      }
      // Profiles first: a bad one is the user's error, found before anything is mounted.
      const seccompProfile = await localhostSeccompProfile(config, this.seccompDir);
      const appArmorProfile = await this.appArmor.profileFor(config.appArmorProfile, config.privileged === true);
      // A prepared rootfs (a snapshotter's) belongs to its preparer: used as it is, never mounted here.
      const rootfsPath = config.rootfsPath ?? dir.rootfs;
      if (config.rootfsPath === undefined) await mountOverlay(config.rootfsLayers, dir.upper, dir.work, dir.rootfs);
      const hostNetwork = config.netns === 'host';
      const hostname = config.hostname ?? defaultHostname(config.id, hostNetwork);
      const etcFiles = await writeEtcFiles(dir.dir, { hostname, hostNetwork, extraHosts: config.extraHosts, dns: config.dns });
      const spec = buildOciSpec(config, {
        rootfsPath, etcFiles, hostname, cgroupsPath: meta.cgroupPath, cgroupV2: isCgroupV2(),
        hostNofileHard: hostNofileHard(), hostArch: arch(), kernelRelease: release(),
        hostCapabilities: hostCapabilitySet(),
        ...(seccompProfile ? { seccompProfile } : {}), ...(appArmorProfile ? { appArmorProfile } : {}),
      });
      await writeJsonAtomic(dir.configJson, spec);
      await writeJsonAtomic(dir.labelsJson, config.labels);
      await launchConmon({
        conmonPath: this.conmonPath, runcPath: this.runc.path, runcRoot: this.runc.root, runtimeArgs: this.runc.extraArgs, dir, cuuid: meta.cuuid,
        name: config.name, socketDir: this.socketDir, terminal: meta.terminal, stdin: meta.stdin,
      });
      // Written last: a dir without meta.json is a create that never finished.
      await writeJsonAtomic(dir.metaJson, meta);
    } catch (e) {
      await this.remove(config.id).catch(() => undefined);
      throw toApiError(e);
    }
    // conmon reported the container created through its sync pipe: no need to ask runc again.
    return { id: config.id, status: 'created', createdAt: meta.createdAt, labels: config.labels, logPath: dir.logPath };
  }

  async start(id: string): Promise<void> {
    const dir = new ContainerDir(this.stateDir, id);
    const meta = await readJson<ContainerMeta>(dir.metaJson);
    if (!meta) throw new ApiError('NotFound', `container ${id} not found: create it first`);
    // Taken before the call: a short-lived process may have exited (and conmon stamped it) by the time it returns.
    const startedAt = new Date().toISOString();
    try {
      await this.runc.start(id);
    } catch (e) {
      // Ask runc why only when starting failed: the common path spawns runc once, not twice.
      const state = await this.runc.state(id).catch(() => undefined);
      if (!state) throw new ApiError('NotFound', `container ${id} not found: create it first`);
      if (state.status === 'running') return;
      if (state.status !== 'created') {
        throw new ApiError('Conflict', `container ${id} is ${state.status} and cannot start again: create a new one`);
      }
      throw toApiError(e);
    }
    await writeJsonAtomic(dir.metaJson, { ...meta, startedAt });
  }

  async stop(id: string, graceSeconds: number): Promise<void> {
    const dir = new ContainerDir(this.stateDir, id);
    const meta = await readJson<ContainerMeta>(dir.metaJson);
    if (!meta) return;
    const state = await this.runc.state(id);
    if (state && state.status !== 'stopped') {
      // A created container is still runc's init waiting to exec: only KILL ends it.
      const graceful = state.status === 'running' && graceSeconds > 0;
      if (graceful) await this.runc.kill(id, String(signalNumber(meta.stopSignal)));
      if (!graceful || !(await this.waitStopped(dir, graceSeconds * 1000))) {
        await this.runc.kill(id, 'KILL', true);
        if (!(await this.waitStopped(dir, KILL_WAIT_MS))) {
          throw new ApiError('Internal', `container ${id} survived SIGKILL for ${KILL_WAIT_MS / 1000}s; check for a stuck process in D state`);
        }
      }
    }
    await readContainerInfo(dir, this.runc);
  }

  async remove(id: string): Promise<void> {
    const dir = new ContainerDir(this.stateDir, id);
    const meta = await readJson<ContainerMeta>(dir.metaJson);
    await this.runc.delete(id);
    // conmon writes its exit files as the container dies; let it finish before the dir goes.
    for (let i = 0; i < 50 && processRunning(conmonPid(dir)); i++) await sleep(100);
    await unmountRootfs(dir.rootfs);
    if (await isMountPoint(dir.rootfs)) {
      throw new ApiError('Internal', `rootfs of ${id} is still mounted at ${dir.rootfs}; unmount it, then remove again`);
    }
    await rm(join(this.socketDir, meta?.cuuid ?? id), { force: true });
    await rm(dir.dir, { recursive: true, force: true });
    await removeCgroupTree(meta?.cgroupPath ?? containerCgroupPath(this.cgroupParent, id));
  }

  /** Polls inspect (its fast path reads files only) until the container has stopped. */
  async wait(id: string): Promise<ContainerInfo> {
    const dir = new ContainerDir(this.stateDir, id);
    for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
      const info = await readContainerInfo(dir, this.runc);
      if (!info) throw new ApiError('NotFound', `container ${id} not found`);
      if (info.status === 'stopped') return info;
      await sleep(delay);
    }
  }

  async inspect(id: string): Promise<ContainerInfo | undefined> {
    return readContainerInfo(new ContainerDir(this.stateDir, id), this.runc);
  }

  async list(): Promise<ContainerInfo[]> {
    const names = await readdir(join(this.stateDir, 'containers')).catch(() => [] as string[]);
    // A container removed while it is being read (another pod's teardown) is simply not listed.
    const infos = await Promise.all(names.filter(isValidId).map((n) => this.inspect(n).catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    })));
    return infos.filter((i): i is ContainerInfo => i !== undefined);
  }

  async exec(id: string, opts: ExecOptions): Promise<ExecSession> {
    const dir = new ContainerDir(this.stateDir, id);
    if (opts.cmd.length === 0) throw new ApiError('Invalid', 'exec needs a command');
    const state = dir.exists() ? await this.runc.state(id) : undefined;
    if (!state) throw new ApiError('NotFound', `container ${id} not found`);
    if (state.status !== 'running') throw new ApiError('Conflict', `container ${id} is ${state.status}, not running: start it first`);
    return startExec(this.runc, id, opts, dir.dir);
  }

  async stats(id: string): Promise<ContainerStats | undefined> {
    const dir = new ContainerDir(this.stateDir, id);
    const meta = await readJson<ContainerMeta>(dir.metaJson);
    if (!meta) return undefined;
    // inspect's fast path (conmon and the process alive) spawns no `runc state`: metrics scrapes
    // read every container's stats, and a process per container per scrape cost ~50 ms of CPU each.
    const info = await readContainerInfo(dir, this.runc);
    if (!info || info.status === 'stopped' || info.status === 'unknown') return undefined;
    const s = await readCgroupStats(meta.cgroupPath);
    return s ? { ...s, timestamp: Date.now() } : undefined;
  }

  /** Connects to the main process through conmon's attach socket; see attach-helper.ts for why a helper. */
  async attach(id: string): Promise<AttachSession> {
    const dir = new ContainerDir(this.stateDir, id);
    const meta = await readJson<ContainerMeta>(dir.metaJson);
    const state = meta ? await this.runc.state(id) : undefined;
    if (!meta || !state) throw new ApiError('NotFound', `container ${id} not found`);
    if (state.status === 'stopped') throw new ApiError('Conflict', `container ${id} has stopped: read its log instead`);
    const helperPath = await ensureAttachHelper(join(this.stateDir, 'bin'), this.cc);
    return await attachTo({ helperPath, ...attachPaths(this.socketDir, meta.cuuid, dir.bundle), terminal: meta.terminal, stdin: meta.stdin });
  }

  private async waitStopped(dir: ContainerDir, ms: number): Promise<boolean> {
    for (const end = Date.now() + ms; ; await sleep(100)) {
      const state = await this.runc.state(dir.id);
      if (!state || state.status === 'stopped') return true;
      if (Date.now() >= end) return false;
    }
  }
}
