/**
 * RUN: one runc container over the step rootfs, in its own network namespace (loopback only), with
 * the stage's env, workdir and user. Output is streamed as it comes.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildOciSpec } from '../runtime/runc/oci-spec.js';
import { writeEtcFiles } from '../runtime/runc/etc-files.js';
import { hostCapabilitySet, hostNofileHard } from '../runtime/runc/host.js';
import { isCgroupV2 } from '../runtime/runc/cgroups.js';
import { resolveUserIn, scopedPath } from './rootfs-paths.js';

/** What one RUN needs. */
export interface RunStep {
  id: string;
  argv: string[];
  env: string[];
  cwd: string;
  user: string;
  /** Mounted rootfs and a scratch dir for the bundle. */
  rootfs: string;
  upper: string;
  scratch: string;
  runcRoot: string;
  /** cgroup parent the step's cgroup goes under. */
  cgroupParent: string;
  output: (text: string) => void;
}

/** Paths runc may create as mount points; they are dropped from the diff when the step did not have them. */
const MOUNT_POINTS = ['proc', 'sys', 'dev', 'etc/hosts', 'etc/hostname', 'etc/resolv.conf'];

/** Runs the step's command; resolves with its exit code. */
export async function runStep(s: RunStep): Promise<number> {
  let user: { uid: number; gid: number };
  try {
    user = await resolveUserIn(s.rootfs, s.user);
  } catch (e) {
    throw new Error(`USER ${s.user}: ${(e as Error).message}`);
  }
  const cwd = await scopedPath(s.rootfs, s.cwd);
  if (!existsSync(cwd)) await mkdir(cwd, { recursive: true, mode: 0o755 });
  const missing = new Set<string>();
  for (const p of [...MOUNT_POINTS, 'etc']) if (!(await lstat(join(s.rootfs, p)).catch(() => undefined))) missing.add(p);
  const bundle = join(s.scratch, 'bundle');
  const etcDir = join(s.scratch, 'etc');
  await mkdir(bundle, { recursive: true });
  await mkdir(etcDir, { recursive: true });
  const hostname = s.id.slice(0, 12);
  const etcFiles = await writeEtcFiles(etcDir, { hostname, hostNetwork: false });
  const spec = buildOciSpec({
    id: s.id, name: `build-${hostname}`, rootfsLayers: [], args: s.argv, env: s.env, cwd: s.cwd || '/', user,
    netns: 'host', mounts: [], resources: {}, labels: {},
  }, {
    rootfsPath: s.rootfs, etcFiles, hostname, cgroupsPath: `/${s.cgroupParent}/build-${s.id}`, cgroupV2: isCgroupV2(),
    hostNofileHard: hostNofileHard(), hostCapabilities: hostCapabilitySet(),
  });
  // A new, empty network namespace: runc brings up loopback and nothing else.
  spec.linux?.namespaces.push({ type: 'network' });
  await writeFile(join(bundle, 'config.json'), JSON.stringify(spec));
  try {
    return await new Promise<number>((resolve, reject) => {
      const child = spawn('runc', ['--root', s.runcRoot, 'run', '--bundle', bundle, s.id], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (b: Buffer) => s.output(b.toString('utf8')));
      child.stderr.on('data', (b: Buffer) => s.output(b.toString('utf8')));
      child.on('error', (e) => reject(new Error(`cannot run runc: ${e.message}; is it installed?`)));
      child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
  } finally {
    await dropMountPoints(s.upper, missing);
  }
}

/** Removes mount points runc created (empty dirs/files the image did not have) from the diff. */
async function dropMountPoints(upper: string, missing: Set<string>): Promise<void> {
  for (const p of MOUNT_POINTS) {
    if (!missing.has(p)) continue;
    const full = join(upper, p);
    const st = await lstat(full).catch(() => undefined);
    if (!st) continue;
    if ((st.isFile() && st.size === 0) || (st.isDirectory() && (await readdir(full)).length === 0)) await rm(full, { recursive: true, force: true });
  }
  if (missing.has('etc')) {
    const etc = join(upper, 'etc');
    if ((await readdir(etc).catch(() => ['x'])).length === 0) await rm(etc, { recursive: true, force: true });
  }
}
