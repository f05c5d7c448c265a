/** Write a configMap/secret volume's files into its per-pod directory on the node (secrets on a tmpfs). */
import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * Make dir hold exactly files (relative path -> bytes and mode). Each file is written to a temporary
 * name and renamed, so a running container that has the directory bind-mounted never reads half a
 * file; the directory itself is kept (replacing it would detach existing bind mounts).
 */
export async function writeConfigVolume(dir: string, files: Map<string, { data: Buffer; mode: number }>, secret: boolean): Promise<void> {
  await mkdir(dir, { recursive: true });
  // World-traversable so a non-root container user can reach the files; their own mode guards them.
  await chmod(dir, 0o755);
  const tops = new Set([...files.keys()].map((p) => p.split('/')[0]!));
  for (const entry of await readdir(dir)) if (!tops.has(entry)) await rm(path.join(dir, entry), { recursive: true, force: true });
  for (const [rel, f] of files) {
    const dest = path.join(dir, rel);
    await mkdir(path.dirname(dest), { recursive: true });
    const tmp = `${dest}.tmp-${process.pid}`;
    await writeFile(tmp, f.data, { mode: secret ? 0o600 : 0o644 });
    await chmod(tmp, f.mode);
    await rename(tmp, dest);
  }
}

const run = promisify(execFile);

/** Mount points at or under prefix, deepest first (from /proc/self/mountinfo; \040 etc. decoded). */
async function mountsUnder(prefix: string): Promise<string[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  const points = text.split('\n').map((l) => (l.split(' ')[4] ?? '').replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8))));
  return points.filter((p) => p === prefix || p.startsWith(`${prefix}/`)).sort((a, b) => b.length - a.length);
}

/**
 * Back a Secret volume's directory with its own tmpfs, as the kubelet does, so secret bytes never reach
 * the node's disk. Idempotent: an agent that restarts finds the mount still there.
 */
export async function ensureSecretTmpfs(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  if ((await mountsUnder(dir)).includes(dir)) return;
  // Far above the 1 MiB a Secret may hold; tmpfs only uses the memory actually written.
  await run('mount', ['-t', 'tmpfs', '-o', 'mode=0755,size=16m,nosuid,nodev,noexec', 'tmpfs', dir]);
}

/** Unmount every Secret tmpfs under a pod's directory (before the directory is removed). */
export async function unmountSecretVolumes(podDir: string): Promise<void> {
  for (const m of await mountsUnder(path.join(podDir, 'secrets'))) {
    await run('umount', [m]).catch(() => run('umount', ['-l', m]));
  }
}
