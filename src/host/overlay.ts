import { dirname, relative, sep } from 'node:path';
import { ApiError } from '../api/errors.js';
import { runCommand, sleep } from './command.js';
import { mountPoints } from './mountinfo.js';

/** The kernel takes at most one page of mount options. */
const MAX_MOUNT_DATA = 4000;

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

/** Unmounts every mount at or below dir, deepest first (what a crash left mounted there). */
export async function unmountUnder(dir: string): Promise<void> {
  const inside = (await mountPoints()).filter((m) => m === dir || m.startsWith(`${dir}/`)).reverse();
  for (const m of inside) await unmountRootfs(m);
}

function commonParent(paths: string[]): string {
  let parent = dirname(paths[0] ?? '/');
  while (parent !== '/' && !paths.every((p) => p.startsWith(parent + sep))) parent = dirname(parent);
  return parent;
}
