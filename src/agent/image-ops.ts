import type { Readable } from 'node:stream';
import { ApiError } from '../api/errors.js';
import type { ImageInspect, ImagePruneReport } from '../api/image-inspect.js';
import { familiarName } from '../image/save.js';
import { inspectRecord } from '../image/inspect.js';
import type { ImageStore } from '../image/types.js';
import type { ContainerRuntime } from '../runtime/types.js';

/** docker image inspect on the node's store; NotFound reads "No such image: REF", as Docker's. */
export async function inspectInStore(images: ImageStore, node: string, ref: string): Promise<ImageInspect> {
  const r = await images.index.resolve(ref);
  if (!r) throw new ApiError('NotFound', `No such image: ${ref}`, { kind: 'Image', name: ref });
  return inspectRecord(r, node);
}

/** docker save: the archive stream of the images refs name. */
export function exportFromStore(images: ImageStore, refs: string[]): Promise<Readable> {
  if (refs.length === 0) throw new ApiError('BadRequest', 'name at least one image to save');
  return images.exportImages(refs);
}

/**
 * docker image prune: images a container (running or stopped) or a pod on this node refers to are
 * kept; the rest of the unnamed ones (with all, every one) go, with every blob and snapshot left unused.
 */
export async function pruneStore(images: ImageStore, runtime: ContainerRuntime, podImages: string[], all: boolean): Promise<ImagePruneReport> {
  const used = new Set<string>();
  for (const c of await runtime.list()) {
    const id = c.labels['lantern.container.image-id'];
    if (id) used.add(id);
  }
  for (const ref of podImages) {
    const r = await images.index.resolve(ref).catch(() => undefined);
    if (r) used.add(r.id);
  }
  const result = await images.prune({ all, keep: (r) => used.has(r.id) });
  const deleted = result.removed.flatMap((r) => [...r.names.map((n) => ({ Untagged: familiarName(n) })), { Deleted: r.id }]);
  return { ImagesDeleted: deleted, SpaceReclaimed: result.reclaimedBytes };
}
