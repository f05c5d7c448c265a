/**
 * The VolumeMounter of PVs with spec.nfs: one mount per PV per node under ROOT/<pv>/mount, shared by
 * every pod on the node that uses the PV and counted by a file per pod under ROOT/<pv>/pods, so the
 * count survives an agent restart; the last pod's unmount unmounts it. The kernel's nfs client is used
 * where /proc/filesystems has nfs, else the libnfs + FUSE helper (nfs-helper.ts).
 */
import { mkdir, readFile, readdir, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Pod } from '../../api/pod.js';
import type { VolumePaths } from '../context.js';
import { ensureNfsHelper, kernelHasNfs, nfsUrl, runTool, type NfsTarget } from './nfs-helper.js';
import type { VolumeMounter, VolumeToMount } from './types.js';

/** A mount that cannot be made now: the volumes hook holds the container Waiting with this reason and retries. */
export class NfsMountError extends Error {
  readonly reason = 'NFSMountFailed';
  readonly retryInMs = 5_000;
}

/** Where the mounter keeps its mounts and its compiled helper. */
export interface NfsMounterOptions {
  /** The mounts' root, e.g. DATA_DIR/nfs. */
  root: string;
  /** Where the helper is built and cached, e.g. DATA_DIR/bin. */
  binDir: string;
  /** Force the FUSE helper even where the kernel has nfs (tests). */
  forceFuse?: boolean;
}

/** The PV's NFS source and mount options, or undefined when it has none. */
export function nfsTargetOf(v: VolumeToMount): NfsTarget | undefined {
  const nfs = v.pv.spec.nfs as { server?: unknown; path?: unknown } | undefined;
  if (!nfs || typeof nfs.server !== 'string' || typeof nfs.path !== 'string') return undefined;
  const opts = v.pv.spec.mountOptions;
  const mountOptions = Array.isArray(opts) ? opts.filter((o): o is string => typeof o === 'string') : [];
  return { server: nfs.server, path: nfs.path, mountOptions };
}

/** True when something is mounted at dir (from /proc/self/mountinfo, field 5 with octal escapes). */
export async function isMounted(dir: string): Promise<boolean> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  return text.split('\n').some((l) => l.split(' ')[4]?.replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))) === dir);
}

/**
 * One mount/unmount at a time per PV directory, so two pods starting together share one mount; module-wide
 * because the agent makes a mounter list per pod run.
 */
const locks = new Map<string, Promise<unknown>>();

const byRoot = new Map<string, NfsMounter>();

/** The node's NFS mounter: DATA_DIR/nfs and DATA_DIR/bin, DATA_DIR being the parent of the pods dir (agent.ts lays them out so). */
export function nfsMounterFor(paths: VolumePaths): NfsMounter {
  const dataDir = dirname(dirname(paths.podDir('_')));
  let m = byRoot.get(dataDir);
  if (!m) {
    m = new NfsMounter({ root: join(dataDir, 'nfs'), binDir: join(dataDir, 'bin') });
    byRoot.set(dataDir, m);
  }
  return m;
}

/** Mounts PVs' NFS exports on this node, one mount per PV, counted across pods. */
export class NfsMounter implements VolumeMounter {
  readonly name = 'nfs';
  constructor(private readonly opts: NfsMounterOptions) {}

  canMount(v: VolumeToMount): boolean { return nfsTargetOf(v) !== undefined; }

  /** The PV's directory under the root (PV names are DNS subdomains: safe as one path element). */
  private dir(v: VolumeToMount): string { return join(this.opts.root, v.pvName); }

  async mount(v: VolumeToMount, pod: Pod): Promise<string> {
    const target = nfsTargetOf(v);
    if (!target) throw new Error(`PersistentVolume ${v.pvName} has no spec.nfs`);
    return this.locked(this.dir(v), async () => {
      const mp = join(this.dir(v), 'mount');
      await mkdir(join(this.dir(v), 'pods'), { recursive: true });
      await mkdir(mp, { recursive: true });
      if (!(await isMounted(mp))) await this.mountExport(target, mp, v.pvName);
      // What was mounted, for the health probe and the sweep after an agent restart (nfs-node-watch.ts).
      await writeFile(join(this.dir(v), 'target.json'), JSON.stringify(target));
      await writeFile(join(this.dir(v), 'pods', pod.metadata.uid ?? pod.metadata.name), `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}\n`);
      return mp;
    });
  }

  async unmount(v: VolumeToMount, pod: Pod): Promise<void> {
    await this.locked(this.dir(v), async () => {
      await rm(join(this.dir(v), 'pods', pod.metadata.uid ?? pod.metadata.name), { force: true });
      await this.releaseIfUnused(this.dir(v));
    });
  }

  /**
   * Drop the pod files of pods that are not live (a pod gone while the agent was down, or ended after a
   * restart: PodClaims remembers mounts in memory only) and unmount what is left unused. A file newer
   * than listedAtMs may be a pod that came after the list was taken: the next sweep decides. Answers the
   * PVs it unmounted.
   */
  async sweep(live: ReadonlySet<string>, listedAtMs: number): Promise<string[]> {
    const released: string[] = [];
    for (const pv of await readdir(this.opts.root).catch(() => [] as string[])) {
      const dir = join(this.opts.root, pv);
      await this.locked(dir, async () => {
        const pods = join(dir, 'pods');
        for (const f of await readdir(pods).catch(() => [] as string[])) {
          if (live.has(f)) continue;
          const st = await stat(join(pods, f)).catch(() => undefined);
          if (st && st.mtimeMs < listedAtMs - 1000) await rm(join(pods, f), { force: true });
        }
        if (await this.releaseIfUnused(dir)) released.push(pv);
      });
    }
    return released;
  }

  /** The node's NFS mounts now: PV name, what it mounts, and the pods (uid -> "namespace/name") using it. */
  async mounted(): Promise<{ pvName: string; target: NfsTarget; pods: Map<string, string> }[]> {
    const out: { pvName: string; target: NfsTarget; pods: Map<string, string> }[] = [];
    for (const pv of await readdir(this.opts.root).catch(() => [] as string[])) {
      const dir = join(this.opts.root, pv);
      const target = await readFile(join(dir, 'target.json'), 'utf8').then((t) => JSON.parse(t) as NfsTarget, () => undefined);
      if (!target || !(await isMounted(join(dir, 'mount')))) continue;
      const pods = new Map<string, string>();
      for (const f of await readdir(join(dir, 'pods')).catch(() => [] as string[])) {
        pods.set(f, (await readFile(join(dir, 'pods', f), 'utf8').catch(() => '')).trim());
      }
      out.push({ pvName: pv, target, pods });
    }
    return out;
  }

  /** Probes the export through the helper's own connection (never through the mount, which may hang). */
  async probe(t: NfsTarget): Promise<void> {
    // A server that drops packets (not refuses) would hold libnfs long: the probe gives up first.
    const r = await runTool(await ensureNfsHelper(this.opts.binDir), ['probe', nfsUrl(t)], 15_000);
    if (r.code !== 0) throw new Error(r.stderr.trim() || `no answer (lantern-nfs-fuse probe exited ${r.code})`);
  }

  /** Unmounts the PV's directory and removes it when no pod file is left; true when it did. */
  private async releaseIfUnused(dir: string): Promise<boolean> {
    const left = await readdir(join(dir, 'pods')).catch(() => [] as string[]);
    if (left.length > 0) return false;
    const mp = join(dir, 'mount');
    // Lazy: a server that is gone would make a plain umount wait; -l detaches now either way.
    const was = await isMounted(mp);
    // Several mounts may be stacked there (a mount made by an earlier agent): take them all off.
    for (let i = 0; i < 8 && (await isMounted(mp)); i++) {
      const r = await runTool('umount', ['-l', mp]);
      if (r.code !== 0 && (await isMounted(mp))) throw new Error(`cannot unmount ${mp}: ${r.stderr.trim()}`);
    }
    // Never a recursive delete of the PV directory: through a mount still there it would delete the volume's data.
    if (await isMounted(mp)) throw new Error(`${mp} is still mounted after umount -l`);
    await rm(join(dir, 'pods'), { recursive: true, force: true });
    await rm(join(dir, 'target.json'), { force: true });
    await rmdir(mp).catch(() => undefined);
    await rmdir(dir).catch(() => undefined);
    return was;
  }

  private async mountExport(t: NfsTarget, mp: string, pvName: string): Promise<void> {
    const where = `${t.server}:${t.path}`;
    let r;
    if (!this.opts.forceFuse && (await kernelHasNfs())) {
      const o = t.mountOptions && t.mountOptions.length > 0 ? ['-o', t.mountOptions.join(',')] : [];
      r = await runTool('mount', ['-t', 'nfs', ...o, where, mp], 60_000);
    } else {
      const helper = await ensureNfsHelper(this.opts.binDir);
      r = await runTool(helper, ['mount', nfsUrl(t), mp], 60_000);
    }
    if (r.code !== 0) {
      throw new NfsMountError(`PersistentVolume ${pvName}: cannot mount NFS export ${where}: ${r.stderr.trim() || `exit ${r.code}`}; check that the server is up and reachable from this node`);
    }
  }

  private locked<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = locks.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    locks.set(key, tail);
    void tail.then(() => { if (locks.get(key) === tail) locks.delete(key); });
    return next;
  }
}
