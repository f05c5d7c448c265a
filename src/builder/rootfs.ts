/** A build step's writable rootfs: an active snapshot over the stage's layers, from the node's snapshotter. */
import { randomBytes } from 'node:crypto';
import type { Snapshotter } from '../image/types.js';

/** Key prefix of the builder's active snapshots; recovery removes what a crash left under it. */
export const SNAPSHOT_PREFIX = 'build-';

/** The dirs of a mounted step rootfs. */
export interface StepRootfs {
  /** The merged view, where the step reads and writes. */
  rootfs: string;
  /** The upper dir: after unmount, exactly what the step changed, whiteouts in overlay form. */
  upper: string;
}

/**
 * Prepares a snapshot over lowers (top-most first; none: an empty one, as FROM scratch) and runs fn on
 * it; fn may call `unmount` to get the upper dir (the step's diff) in a state safe to read and move.
 * The snapshot is removed afterwards, also when fn fails.
 */
export async function withStepRootfs<T>(snapshots: Snapshotter, lowers: string[], fn: (r: StepRootfs, unmount: () => Promise<string>) => Promise<T>): Promise<T> {
  const key = `${SNAPSHOT_PREFIX}${randomBytes(8).toString('hex')}`;
  const r = await snapshots.prepare(key, lowers);
  try {
    return await fn(r, async () => { await snapshots.unmount(key); return r.upper; });
  } finally {
    await snapshots.remove(key);
  }
}
