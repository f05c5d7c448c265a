import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../api/errors.js';
import { mountOverlay, unmountRootfs, unmountUnder } from '../host/overlay.js';
import type { StoreLayout } from './layout.js';
import type { ActiveSnapshot } from './types.js';

const KEY = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

function paths(layout: StoreLayout, key: string): { dir: string; rootfs: string; upper: string; work: string; empty: string } {
  if (!KEY.test(key)) throw new ApiError('Invalid', `invalid snapshot key "${key}": use 1-128 letters, digits, '_', '.' or '-'`);
  const dir = layout.active(key);
  return { dir, rootfs: join(dir, 'rootfs'), upper: join(dir, 'upper'), work: join(dir, 'work'), empty: join(dir, 'empty') };
}

/** Mounts an overlay of lowers (top-most first) with a fresh upper dir; no lowers: an empty lower dir (FROM scratch). */
export async function prepareActive(layout: StoreLayout, key: string, lowers: string[]): Promise<ActiveSnapshot> {
  const p = paths(layout, key);
  if (await stat(p.dir).then(() => true, () => false)) throw new ApiError('AlreadyExists', `snapshot ${key} exists: remove it first or use another key`);
  try {
    for (const d of [p.rootfs, p.upper, p.work, p.empty]) await mkdir(d, { recursive: true });
    await mountOverlay(lowers.length > 0 ? lowers : [p.empty], p.upper, p.work, p.rootfs);
  } catch (e) {
    await rm(p.dir, { recursive: true, force: true });
    throw e;
  }
  return { key, rootfs: p.rootfs, upper: p.upper };
}

/** Unmounts the merged tree; the upper dir then holds exactly what was written. */
export async function unmountActive(layout: StoreLayout, key: string): Promise<void> {
  await unmountRootfs(paths(layout, key).rootfs);
}

/** Unmounts whatever is mounted inside and deletes the snapshot's dir. */
export async function removeActive(layout: StoreLayout, key: string): Promise<void> {
  const { dir } = paths(layout, key);
  await unmountUnder(dir);
  await rm(dir, { recursive: true, force: true });
}

/** The keys of the active snapshots on disk. */
export async function listActive(layout: StoreLayout): Promise<string[]> {
  return (await readdir(layout.activeDir).catch(() => [] as string[])).filter((k) => KEY.test(k));
}
