/** Cleans what a build interrupted by a daemon crash left: RUN containers, step snapshots, scratch dirs. */
import { rm } from 'node:fs/promises';
import { unmountUnder } from '../host/overlay.js';
import type { Snapshotter } from '../image/types.js';
import type { ContainerRuntime } from '../runtime/types.js';
import type { BuildCache } from './cache.js';
import { SNAPSHOT_PREFIX } from './rootfs.js';
import { BUILD_LABEL } from './run-step.js';

/** Removes the builder's containers and active snapshots, and empties the cache's tmp/. */
export async function recoverBuildCache(cache: BuildCache, runtime: ContainerRuntime, snapshots: Snapshotter): Promise<void> {
  for (const c of await runtime.list()) {
    if (c.labels[BUILD_LABEL] === undefined) continue;
    await runtime.stop(c.id, 0).catch(() => undefined);
    await runtime.remove(c.id);
  }
  for (const key of await snapshots.active()) if (key.startsWith(SNAPSHOT_PREFIX)) await snapshots.remove(key);
  // Step rootfs mounts of builders before the snapshotter mounted them under tmp/.
  await unmountUnder(cache.tmpDir);
  await rm(cache.tmpDir, { recursive: true, force: true });
}
