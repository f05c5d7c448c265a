/** A writable overlay of a stage's layers for one build step; the upper dir is the step's diff. */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { mountOverlay, unmountRootfs } from '../runtime/runc/rootfs.js';

/** The dirs of a mounted step rootfs. */
export interface StepRootfs {
  /** The merged view, where the step reads and writes. */
  rootfs: string;
  /** The upper dir: after unmount, exactly what the step changed, whiteouts in overlay form. */
  upper: string;
}

/**
 * Mounts lowers (top-most first) with a fresh upper dir under scratch, runs fn on it and unmounts,
 * even when fn fails. A stage with no layers yet (FROM scratch) gets an empty lower dir.
 */
export async function withStepRootfs<T>(lowers: string[], scratch: string, fn: (r: StepRootfs) => Promise<T>): Promise<T> {
  const r: StepRootfs = { rootfs: join(scratch, 'rootfs'), upper: join(scratch, 'upper') };
  const work = join(scratch, 'work');
  const empty = join(scratch, 'empty');
  for (const d of [r.rootfs, r.upper, work, empty]) await mkdir(d, { recursive: true });
  await mountOverlay(lowers.length > 0 ? lowers : [empty], r.upper, work, r.rootfs);
  try {
    return await fn(r);
  } finally {
    await unmountRootfs(r.rootfs);
    await rm(work, { recursive: true, force: true });
  }
}
