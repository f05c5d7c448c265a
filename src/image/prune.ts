import { gcInput, type StoreCore } from './core.js';
import { blobsOf, collectGarbage } from './gc.js';
import type { StoredImage } from './index-file.js';
import type { LocalImageIndex } from './image-index.js';
import { toRecord } from './lookup.js';
import type { ImageRecord, PruneResult } from './types.js';

/**
 * Deletes unnamed images (with `all`, every image) that `keep` does not hold, then every blob and
 * snapshot no image uses. An image whose own snapshot a container has mounted is kept.
 */
export async function pruneImages(core: StoreCore, index: LocalImageIndex, opts: { all?: boolean; keep?: (image: ImageRecord) => boolean }): Promise<PruneResult> {
  return core.lock.run(async () => {
    const images = index.current();
    const doomed = images.filter((i) => (opts.all || i.names.length === 0) && !opts.keep?.(toRecord(i)));
    const kept = images.filter((i) => !doomed.includes(i));
    const removed: StoredImage[] = [];
    for (const image of doomed) {
      let busy = false;
      for (const d of image.diffIds.filter((d) => !kept.some((k) => k.diffIds.includes(d)))) {
        if (core.inUse && (await core.inUse(core.layout.snapshotFs(d)))) { busy = true; break; }
      }
      if (busy) kept.push(image);
      else removed.push(image);
    }
    if (removed.length > 0) await index.save(images.filter((i) => !removed.includes(i)));
    const snapshotSizes = new Map(removed.flatMap((i) => i.layers.map((l) => [l.diffId, l.unpackedSize] as const)));
    const first = await collectGarbage({ ...gcInput(core), snapshotSizes, candidates: { blobs: removed.flatMap(blobsOf), diffIds: removed.flatMap((i) => i.diffIds) } });
    const sweep = await collectGarbage(gcInput(core));
    return { removed: removed.map(toRecord), reclaimedBytes: first.reclaimedBytes + sweep.reclaimedBytes };
  });
}
