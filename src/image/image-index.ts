import { ApiError, notFound } from '../api/errors.js';
import { gcInput, withPins, type StoreCore } from './core.js';
import type { ImportedImage, LayerBlob } from './formats.js';
import { blobsOf, collectGarbage, type GcResult } from './gc.js';
import type { IndexFile, StoredImage } from './index-file.js';
import { findImage, toRecord } from './lookup.js';
import { mergeImported } from './merge.js';
import type { Platform } from './platform.js';
import { pulledConfig } from './pulled-config.js';
import { normalizeTag } from './reference.js';
import { removalReport } from './remove-report.js';
import type { OverlaySnapshotter } from './snapshotter.js';
import type { ContentStore, ImageIndex, ImageRecord, PulledImage, RemovedImage, RemoveOptions } from './types.js';

/** images.json: every image by ID (config digest) with its names, manifest and layers; rewritten whole under the lock. */
export class LocalImageIndex implements ImageIndex {
  private images: StoredImage[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(private readonly core: StoreCore, private readonly file: IndexFile, private readonly content: ContentStore,
    private readonly snapshots: OverlaySnapshotter, readonly platform: Platform) {}

  /** Reads images.json (the store's open does this once). */
  async load(): Promise<void> { this.images = await this.file.load(); }

  /** The images as held now, for the store's other parts. */
  current(): StoredImage[] { return this.images; }

  async list(): Promise<ImageRecord[]> {
    await this.core.ready();
    return this.images.map(toRecord);
  }

  /** ID prefixes need at least 4 hex digits. */
  async resolve(ref: string): Promise<ImageRecord | undefined> {
    await this.core.ready();
    const m = findImage(this.images, ref);
    return m ? toRecord(m.image) : undefined;
  }

  async tag(ref: string, name: string): Promise<ImageRecord> {
    await this.core.ready();
    const full = normalizeTag(name);
    return this.core.lock.run(async () => {
      const m = findImage(this.images, ref);
      if (!m) throw notFound('Image', ref);
      const next = this.images.map((i) => ({ ...i, names: i === m.image ? [...new Set([...i.names, full])] : i.names.filter((n) => n !== full) }));
      await this.save(next);
      return toRecord(next.find((i) => i.id === m.image.id) as StoredImage);
    });
  }

  /**
   * Untags a name; when no name is left (or the ref is an ID or repo@digest) deletes the image and the
   * blobs and snapshots no other image uses. Returns the image with the names it still has ([] = deleted)
   * and what docker rmi prints about it (remove-report.ts).
   */
  async remove(ref: string, opts: RemoveOptions = {}): Promise<RemovedImage> {
    await this.core.ready();
    return this.core.lock.run(async () => {
      const m = findImage(this.images, ref);
      if (!m) throw notFound('Image', ref);
      const image = m.image;
      if (m.by === 'name' && image.names.length > 1) {
        const kept = { ...image, names: image.names.filter((n) => n !== m.name) };
        await this.save(this.images.map((i) => (i === image ? kept : i)));
        return { ...toRecord(kept), ...removalReport(image, [m.name], false, []) };
      }
      if (m.by !== 'name' && image.names.length > 1 && !opts.force) {
        throw new ApiError('Conflict', `image ${ref} has several names (${image.names.join(', ')}); remove them one by one, or force`);
      }
      const others = this.images.filter((i) => i !== image);
      if (!opts.force && this.core.inUse) {
        for (const d of image.diffIds.filter((d) => !others.some((o) => o.diffIds.includes(d)))) {
          const dir = this.core.layout.snapshotFs(d);
          if (await this.core.inUse(dir)) {
            throw new ApiError('Conflict', `image ${ref} is in use: its layer ${dir} is a lower dir of a container; remove the container first, or force (the layer is then kept until it is unused)`);
          }
        }
      }
      await this.save(others);
      const collected = await this.collect({ blobs: blobsOf(image), diffIds: image.diffIds });
      return { ...toRecord(image), names: [], ...removalReport(image, image.names, true, collected.snapshots) };
    });
  }

  async add(image: PulledImage): Promise<ImageRecord> {
    await this.core.ready();
    const config = await pulledConfig(this.content, image);
    // Held until the commit: an unnamed snapshot is garbage to a concurrent gc() until images.json lists it.
    return withPins(this.core, config.diffIds, async () => {
      const layers: LayerBlob[] = [];
      for (const [i, blob] of image.layers.entries()) layers.push(await this.snapshots.unpackVerified(image, i, blob, config.diffIds[i] as string));
      const names = image.names.map((n) => normalizeTag(n));
      const [record] = await this.core.lock.run(() => this.commit([{ names, manifestDigest: image.manifestDigest, configDigest: image.configDigest, config, layers }]));
      return record as ImageRecord;
    });
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  /** Merges verified images in (names move to them) and collects the blobs of records they replaced. Hold the lock. */
  async commit(imported: ImportedImage[]): Promise<ImageRecord[]> {
    const merged = mergeImported(this.images, imported);
    await this.save(merged.images);
    if (merged.released.length > 0) await this.collect({ blobs: merged.released, diffIds: [] });
    return merged.imported.map(toRecord);
  }

  /** Writes images.json and tells the listeners. Hold the lock. */
  async save(images: StoredImage[]): Promise<void> {
    await this.file.save(images);
    this.images = images;
    for (const l of this.listeners) { try { l(); } catch { /* a listener never fails the change */ } }
  }

  /** Deletes what `candidates` names unless an image, a pin or a container still holds it. Hold the lock. */
  collect(candidates: { blobs: string[]; diffIds: string[] } | undefined): Promise<GcResult> {
    return collectGarbage({ ...gcInput(this.core), candidates });
  }
}
