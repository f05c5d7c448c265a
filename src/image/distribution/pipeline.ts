import { availableParallelism } from 'node:os';
import type { LayerBlob } from '../formats.js';
import type { BlobExpect, PulledImage, Snapshotter } from '../types.js';
import { mapLimit } from './pool.js';
import type { TransferProgress } from './types.js';

/** Fetches one layer blob into the store: whether it was there already or downloaded now. */
export type FetchLayer<L extends BlobExpect> = (layer: L) => Promise<'exists' | 'downloaded'>;

/**
 * Downloads an image's layers `limit` at a time and, as each blob is stored, has the store verify it
 * against its diff ID and unpack it in the background, so unpacking overlaps the downloads still
 * running. A failed layer stops new downloads from starting. Returns (or throws) only once every
 * unpack it started has settled, so the caller's pins outlive them.
 */
export async function downloadAndPrepare<L extends BlobExpect>(snapshots: Snapshotter, image: PulledImage & { layers: L[] }, fetchLayer: FetchLayer<L>, progress: (p: TransferProgress) => void, limit: number): Promise<LayerBlob[]> {
  const started: Promise<LayerBlob>[] = [];
  let failed: { e: unknown } | undefined;
  // Unpacking is CPU and disk work: more at once than there are cores only adds contention (an image
  // whose blobs are all stored would otherwise start every layer's tar together).
  const slot = limiter(availableParallelism());
  try {
    await mapLimit(image.layers, limit, async (l, i) => {
      if (failed) throw failed.e;
      const how = await fetchLayer(l);
      progress({ layer: l.digest, status: how === 'exists' ? 'Already exists' : 'Download complete', current: l.size, total: l.size });
      const p = slot(() => prepare(snapshots, image, i, how === 'downloaded', progress));
      p.catch((e: unknown) => { failed ??= { e }; });
      started[i] = p;
    });
    return await Promise.all(started);
  } finally {
    await Promise.allSettled(started);
  }
}

async function prepare(snapshots: Snapshotter, image: PulledImage, i: number, fresh: boolean, progress: (p: TransferProgress) => void): Promise<LayerBlob> {
  const l = image.layers[i] as BlobExpect;
  // Docker's per-layer lines; a layer that was already stored keeps its "Already exists".
  if (fresh) progress({ layer: l.digest, status: 'Extracting', current: 0, total: l.size });
  const layer = await snapshots.unpack(image, i);
  if (fresh) progress({ layer: l.digest, status: 'Pull complete', current: l.size, total: l.size });
  return layer;
}

/** Wraps jobs so that at most n run at a time, in the order they were submitted. */
function limiter(n: number): <T>(job: () => Promise<T>) => Promise<T> {
  let running = 0;
  const queue: (() => void)[] = [];
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (running >= n) await new Promise<void>((r) => queue.push(r));
    running++;
    try {
      return await job();
    } finally {
      running--;
      queue.shift()?.();
    }
  };
}
