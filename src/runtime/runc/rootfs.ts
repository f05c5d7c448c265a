import { readFile } from 'node:fs/promises';
import { dirname, relative, sep } from 'node:path';
import { ApiError } from '../../api/errors.js';
import { runCommand, sleep } from './proc.js';

/** The kernel takes at most one page of mount options. */
const MAX_MOUNT_DATA = 4000;

/** The mount-point paths in /proc/self/mountinfo, with its octal escapes decoded. */
async function mountPoints(): Promise<string[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  return text.split('\n').map((l) => l.split(' ')[4]).filter((p): p is string => !!p)
    .map((p) => p.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8))));
}

/** True when path is a mount point. */
export async function isMountPoint(path: string): Promise<boolean> {
  return (await mountPoints()).includes(path);
}

/** Mounts an overlay of layers (top-most first) with a private upper/work dir at target; idempotent. */
export async function mountOverlay(layers: string[], upper: string, work: string, target: string): Promise<void> {
  if (layers.length === 0) throw new ApiError('Invalid', 'rootfsLayers is empty: a container needs at least one image layer');
  for (const l of [...layers, upper, work]) {
    if (/[,:]/.test(l)) throw new ApiError('Invalid', `layer path "${l}" contains ',' or ':', which overlayfs cannot take`);
  }
  if (await isMountPoint(target)) return;
  let cwd: string | undefined;
  let lower = layers;
  let data = `lowerdir=${lower.join(':')},upperdir=${upper},workdir=${work}`;
  if (data.length > MAX_MOUNT_DATA) {
    // Docker's trick: relative lowerdirs, resolved against the cwd of the mounting process.
    cwd = commonParent(layers);
    lower = layers.map((l) => relative(cwd ?? '/', l));
    data = `lowerdir=${lower.join(':')},upperdir=${upper},workdir=${work}`;
  }
  const r = await runCommand('mount', ['-t', 'overlay', 'overlay', '-o', data, target], { cwd, timeoutMs: 60_000 });
  if (r.code !== 0) {
    throw new ApiError('Internal', `cannot mount the container rootfs at ${target}: ${r.stderr.trim()}; ` +
      'check that the layer directories exist and that the state dir is not itself on overlayfs');
  }
}

/** Unmounts target if it is mounted; falls back to a lazy unmount when it stays busy. */
export async function unmountRootfs(target: string): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    if (!(await isMountPoint(target))) return;
    const r = await runCommand('umount', [target], { timeoutMs: 30_000 });
    if (r.code === 0) continue;
    if (attempt === 9 || !/busy/i.test(r.stderr)) {
      const lazy = await runCommand('umount', ['-l', target], { timeoutMs: 30_000 });
      if (lazy.code !== 0 && (await isMountPoint(target))) {
        throw new ApiError('Internal', `cannot unmount ${target}: ${r.stderr.trim()}; unmount it by hand`);
      }
      return;
    }
    await sleep(100);
  }
}

function commonParent(paths: string[]): string {
  let parent = dirname(paths[0] ?? '/');
  while (parent !== '/' && !paths.every((p) => p.startsWith(parent + sep))) parent = dirname(parent);
  return parent;
}
