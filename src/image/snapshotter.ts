import { readdir, stat } from 'node:fs/promises';
import { ApiError, notFound } from '../api/errors.js';
import { listActive, prepareActive, removeActive, unmountActive } from './active.js';
import { gcInput, withPins, type StoreCore } from './core.js';
import { isDigest } from './digest.js';
import type { LayerBlob } from './formats.js';
import { collectGarbage, type GcResult } from './gc.js';
import { pulledConfig } from './pulled-config.js';
import type { ActiveSnapshot, BlobExpect, ContentStore, ImageRecord, PulledImage, SnapshotInfo, SnapshotUsage, Snapshotter } from './types.js';

/**
 * Snapshots on overlayfs: committed ones are unpacked layers under snapshots/<diffID hex>/fs (one per
 * diff ID, shared by every image with that layer); active ones are writable overlays under active/<key>.
 */
export class OverlaySnapshotter implements Snapshotter {
  constructor(private readonly core: StoreCore, private readonly content: ContentStore) {}

  /**
   * A snapshot deleted by hand is unpacked again from its blob. A layer repeated in one image (often
   * the empty layer) is listed once, at its top-most place: overlayfs refuses a lowerdir given twice.
   */
  async layerDirs(image: ImageRecord): Promise<string[]> {
    await this.core.ready();
    const stored = this.core.images().find((i) => i.id === image.id);
    if (!stored) throw notFound('Image', image.names[0] ?? image.id);
    const dirs: string[] = [];
    for (const layer of stored.layers) {
      try {
        await withPins(this.core, [layer.diffId], () => this.core.layers.ensure(layer));
      } catch (e) {
        throw new ApiError('Internal', `layer ${layer.diffId} of image ${stored.names[0] ?? stored.id} cannot be restored (${(e as Error).message}); remove the image and import it again`);
      }
      dirs.push(this.core.layout.snapshotFs(layer.diffId));
    }
    return [...new Set(dirs.reverse())];
  }

  async diffIds(image: PulledImage): Promise<string[]> {
    await this.core.ready();
    return (await pulledConfig(this.content, image)).diffIds;
  }

  async unpack(image: PulledImage, i: number): Promise<LayerBlob> {
    await this.core.ready();
    const { diffIds } = await pulledConfig(this.content, image);
    const blob = image.layers[i];
    if (!blob) throw new RangeError(`layer ${i + 1} of ${image.layers.length}`);
    return this.unpackVerified(image, i, blob, diffIds[i] as string);
  }

  /** Layer i of a pulled image against diffId: verified and unpacked once, or found done by an earlier call. */
  async unpackVerified(image: PulledImage, i: number, blob: BlobExpect, diffId: string): Promise<LayerBlob> {
    const what = `layer ${i + 1}/${image.layers.length} (blob ${blob.digest}) of ${image.names[0] ?? image.manifestDigest}`;
    const known = this.core.images().flatMap((img) => img.layers).find((l) => l.digest === blob.digest && l.diffId === diffId);
    return withPins(this.core, [blob.digest, diffId], () => this.core.layers.prepare(blob, diffId, what, known));
  }

  async stat(diffId: string): Promise<SnapshotInfo | undefined> {
    await this.core.ready();
    const dir = this.core.layout.snapshotFs(diffId);
    return (await stat(dir).then((s) => s.isDirectory(), () => false)) ? { diffId, dir } : undefined;
  }

  async usage(): Promise<SnapshotUsage[]> {
    await this.core.ready();
    const layers = this.core.images().flatMap((i) => i.layers);
    const out: SnapshotUsage[] = [];
    for (const name of await readdir(this.core.layout.snapshotsDir)) {
      const diffId = `sha256:${name}`;
      if (!isDigest(diffId)) continue;
      const info = await this.stat(diffId);
      if (!info) continue;
      const images = this.core.images().filter((i) => i.diffIds.includes(diffId)).length;
      out.push({ ...info, sizeBytes: layers.find((l) => l.diffId === diffId)?.unpackedSize ?? 0, images });
    }
    return out;
  }

  async gc(): Promise<GcResult> {
    await this.core.ready();
    return this.core.lock.run(() => collectGarbage({ ...gcInput(this.core), candidates: { blobs: [] } }));
  }

  async prepare(key: string, lowers: string[]): Promise<ActiveSnapshot> {
    await this.core.ready();
    return prepareActive(this.core.layout, key, lowers);
  }

  unmount(key: string): Promise<void> { return unmountActive(this.core.layout, key); }

  remove(key: string): Promise<void> { return removeActive(this.core.layout, key); }

  active(): Promise<string[]> { return listActive(this.core.layout); }
}
