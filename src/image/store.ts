import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { ApiError, notFound } from '../api/errors.js';
import { TarArchive } from './archive.js';
import { archiveError, wrapError } from './errors.js';
import { parseConfig, parseJson, type ImportedImage, type LayerBlob, type ParsedConfig } from './formats.js';
import { blobsOf, collectGarbage, type GcInput, type GcResult, type InUseHook } from './gc.js';
import { IndexFile, type StoredImage } from './index-file.js';
import { Ingester } from './ingest.js';
import { StoreLayout } from './layout.js';
import { findImage, toRecord } from './lookup.js';
import { mergeImported } from './merge.js';
import { Mutex } from './mutex.js';
import { Pins } from './pins.js';
import { nodePlatform, type Platform } from './platform.js';
import { LayerPreparer } from './layer-prep.js';
import { adoptBytes, adoptFile, blobExists, type BlobExpect, type PulledImage } from './pulled.js';
import { readArchive } from './read-archive.js';
import { planSave, saveMembers, tarStream } from './save.js';
import { normalizeTag } from './reference.js';
import type { ImageRecord, ImageStore, RemovedImage } from './types.js';
import { removalReport } from './remove-report.js';

/** Options for an image store. */
export interface ImageStoreOptions {
  /** True when a snapshot's fs dir is a lower dir of a live container; such snapshots are never deleted. */
  inUse?: InUseHook;
  /** Platform to pick from multi-platform archives (default: this node, linux/<arch>). */
  platform?: Platform;
}

/** What prune() deleted: the images (with the names they had) and the bytes freed. */
export interface PruneResult {
  removed: ImageRecord[];
  reclaimedBytes: number;
}

/** Options for remove(). */
export interface RemoveOptions {
  /** Delete even when the image has several names (removing by ID) or a container uses its layers. */
  force?: boolean;
}

/** The node's image store: content-addressed blobs, one unpacked snapshot per layer, and images.json. */
export class OciImageStore implements ImageStore {
  private readonly layout: StoreLayout;
  private readonly index: IndexFile;
  private readonly lock = new Mutex();
  private readonly pins = new Pins();
  private readonly layers: LayerPreparer;
  private images: StoredImage[] = [];
  private ready: Promise<void> | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(readonly rootDir: string, private readonly opts: ImageStoreOptions = {}) {
    this.layout = new StoreLayout(rootDir);
    this.index = new IndexFile(this.layout.indexFile);
    this.layers = new LayerPreparer(this.layout);
  }

  /** Creates the directories, drops leftovers of interrupted work, loads images.json. Called lazily. */
  init(): Promise<void> {
    this.ready ??= (async () => {
      const { layout } = this;
      await rm(layout.tmpDir, { recursive: true, force: true });
      for (const dir of [layout.blobsDir, layout.snapshotsDir, layout.tmpDir, layout.ingestDir]) await mkdir(dir, { recursive: true });
      for (const name of await readdir(layout.snapshotsDir)) {
        if (name.startsWith('.')) await rm(join(layout.snapshotsDir, name), { recursive: true, force: true });
      }
      this.images = await this.index.load();
    })();
    return this.ready;
  }

  /** Imports every image in a docker-save or OCI archive; `ref` adds a name (the only one when the archive names none). */
  async importArchive(file: string, ref?: string): Promise<ImageRecord[]> {
    await this.init();
    const extraName = ref === undefined ? undefined : normalizeTag(ref);
    const work = await mkdtemp(join(this.layout.tmpDir, 'import-'));
    const pinned: string[] = [];
    const pin = (d: string): void => { pinned.push(d); this.pins.add(d); };
    let ok = false;
    try {
      const archive = await TarArchive.open(file, work);
      const imported = await readArchive(archive, new Ingester(this.layout, archive, pin), this.opts.platform ?? nodePlatform());
      if (extraName) {
        if (imported.length !== 1) throw archiveError(`${file} holds ${imported.length} images; a name can be given only for an archive with one image`);
        const only = imported[0] as ImportedImage;
        only.names = [...new Set([...only.names, extraName])];
      }
      for (const layer of imported.flatMap((i) => i.layers)) {
        pin(layer.diffId);
        await this.unpack(layer);
      }
      const records = await this.lock.run(() => this.commit(imported));
      ok = true;
      return records;
    } catch (e) {
      throw wrapError(`importing ${file}`, e);
    } finally {
      for (const d of pinned) this.pins.release(d);
      await rm(work, { recursive: true, force: true });
      // A failed import registers nothing, so whatever it stored is garbage unless another image uses it.
      if (!ok) await this.lock.run(() => this.collect({ blobs: pinned, diffIds: pinned })).catch(() => undefined);
    }
  }

  /** All images, including unnamed ones that lost their names to newer imports. */
  async list(): Promise<ImageRecord[]> {
    await this.init();
    return this.images.map(toRecord);
  }

  /** Finds by name ("busybox", "busybox:1", "docker.io/library/busybox:latest", "busybox@sha256:..."), ID or ID prefix (>= 4 hex). */
  async resolve(ref: string): Promise<ImageRecord | undefined> {
    await this.init();
    const m = findImage(this.images, ref);
    return m ? toRecord(m.image) : undefined;
  }

  /**
   * Snapshot fs dirs for overlay lowerdir, top-most first; a snapshot deleted by hand is unpacked again
   * from its blob. A layer repeated in one image (often the empty layer) is listed once, at its top-most
   * place: overlayfs refuses a lowerdir given twice, and the higher copy already has the same effect.
   */
  async layerDirs(image: ImageRecord): Promise<string[]> {
    await this.init();
    const stored = this.images.find((i) => i.id === image.id);
    if (!stored) throw notFound('Image', image.names[0] ?? image.id);
    const dirs: string[] = [];
    for (const layer of stored.layers) {
      this.pins.add(layer.diffId);
      try {
        await this.unpack(layer);
      } catch (e) {
        throw new ApiError('Internal', `layer ${layer.diffId} of image ${stored.names[0] ?? stored.id} cannot be restored (${(e as Error).message}); remove the image and import it again`);
      } finally {
        this.pins.release(layer.diffId);
      }
      dirs.push(this.layout.snapshotFs(layer.diffId));
    }
    return [...new Set(dirs.reverse())];
  }

  /**
   * Untags a name; when no name is left (or the ref is an ID or repo@digest) deletes the image and the
   * blobs and snapshots no other image uses. Returns the image with the names it still has ([] = deleted)
   * and what docker rmi prints about it (remove-report.ts).
   */
  async remove(ref: string, opts: RemoveOptions = {}): Promise<RemovedImage> {
    await this.init();
    return this.lock.run(async () => {
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
      if (!opts.force && this.opts.inUse) {
        for (const d of image.diffIds.filter((d) => !others.some((o) => o.diffIds.includes(d)))) {
          const dir = this.layout.snapshotFs(d);
          if (await this.opts.inUse(dir)) {
            throw new ApiError('Conflict', `image ${ref} is in use: its layer ${dir} is a lower dir of a container; remove the container first, or force (the layer is then kept until it is unused)`);
          }
        }
      }
      await this.save(others);
      const collected = await this.collect({ blobs: blobsOf(image), diffIds: image.diffIds });
      return { ...toRecord(image), names: [], ...removalReport(image, image.names, true, collected.snapshots) };
    });
  }

  /** Adds a name to an image, taking it from any image that had it. */
  async tag(ref: string, name: string): Promise<ImageRecord> {
    await this.init();
    const full = normalizeTag(name);
    return this.lock.run(async () => {
      const m = findImage(this.images, ref);
      if (!m) throw notFound('Image', ref);
      const next = this.images.map((i) => ({ ...i, names: i === m.image ? [...new Set([...i.names, full])] : i.names.filter((n) => n !== full) }));
      await this.save(next);
      return toRecord(next.find((i) => i.id === m.image.id) as StoredImage);
    });
  }

  /**
   * Streams one archive of the images refs name, laid out as Docker 25's `docker save` (docker-save
   * manifest.json + OCI layout); an unknown ref rejects before any byte. Blobs stay pinned until the
   * stream closes, so a concurrent `rm` cannot pull them away mid-read.
   */
  async exportImages(refs: string[]): Promise<Readable> {
    await this.init();
    const items = planSave(this.images, refs);
    const held = items.flatMap(({ image }) => [...blobsOf(image), ...image.diffIds]);
    for (const d of held) this.pins.add(d);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      for (const d of held) this.pins.release(d);
    };
    try {
      const stream = tarStream(await saveMembers(this.layout, items));
      stream.once('close', release);
      return stream;
    } catch (e) {
      release();
      throw e;
    }
  }

  /**
   * Deletes unnamed images (with `all`, every image) that `keep` does not hold, then every blob and
   * snapshot no image uses. An image whose own snapshot a container has mounted is kept.
   */
  async prune(opts: { all?: boolean; keep?: (image: ImageRecord) => boolean } = {}): Promise<PruneResult> {
    await this.init();
    return this.lock.run(async () => {
      const doomed = this.images.filter((i) => (opts.all || i.names.length === 0) && !opts.keep?.(toRecord(i)));
      const kept = this.images.filter((i) => !doomed.includes(i));
      const removed: StoredImage[] = [];
      for (const image of doomed) {
        let busy = false;
        for (const d of image.diffIds.filter((d) => !kept.some((k) => k.diffIds.includes(d)))) {
          if (this.opts.inUse && (await this.opts.inUse(this.layout.snapshotFs(d)))) { busy = true; break; }
        }
        if (busy) kept.push(image);
        else removed.push(image);
      }
      if (removed.length > 0) await this.save(this.images.filter((i) => !removed.includes(i)));
      const snapshotSizes = new Map(removed.flatMap((i) => i.layers.map((l) => [l.diffId, l.unpackedSize] as const)));
      const first = await collectGarbage({ ...this.gcInput(), snapshotSizes, candidates: { blobs: removed.flatMap(blobsOf), diffIds: removed.flatMap((i) => i.diffIds) } });
      const sweep = await collectGarbage(this.gcInput());
      return { removed: removed.map(toRecord), reclaimedBytes: first.reclaimedBytes + sweep.reclaimedBytes };
    });
  }

  /** Deletes every blob and snapshot no image references (snapshots in use are kept). */
  async gc(): Promise<GcResult> {
    await this.init();
    return this.lock.run(() => this.collect(undefined));
  }

  /** Whether a verified blob is present (a pull never downloads it again). */
  async hasBlob(digest: string): Promise<boolean> {
    await this.init();
    return blobExists(this.layout, digest);
  }

  /** The file of a stored blob, for readers such as push. */
  blobPath(digest: string): string { return this.layout.blob(digest); }

  /** A stored blob's bytes (manifests, configs). */
  async readBlob(digest: string): Promise<Buffer> {
    await this.init();
    return readFile(this.layout.blob(digest));
  }

  /** Where the download of a blob is written; kept across restarts so an interrupted pull resumes. */
  partialPath(digest: string): string { return this.layout.partial(digest); }

  /** Holds a blob against garbage collection until unpin (a pull in progress). */
  pin(digest: string): void { this.pins.add(digest); }

  /** Releases pin(). */
  unpin(digest: string): void { this.pins.release(digest); }

  /** Verifies a downloaded file against its descriptor and moves it into the store; a mismatch deletes it. Pin it first. */
  async adoptFile(file: string, expect: BlobExpect, what: string): Promise<void> {
    await this.init();
    await adoptFile(this.layout, file, expect, what);
  }

  /** Verifies and stores a blob held in memory (manifest, config). Pin it first. */
  async adoptBytes(bytes: Buffer, expect: Partial<BlobExpect> & { digest: string }, what: string): Promise<void> {
    await this.init();
    await adoptBytes(this.layout, bytes, expect, what);
  }

  /**
   * The config's diff IDs of a pulled image, one per manifest layer (checked), so a pull can pin them
   * before it prepares the layers.
   */
  async layerDiffIds(image: PulledImage): Promise<string[]> {
    await this.init();
    return (await this.pulledConfig(image)).diffIds;
  }

  /**
   * Verifies layer i of a pulled image against its config's diff ID and unpacks it, decompressing the
   * blob once for both; a pull calls it as each download ends, so unpacking overlaps the other downloads
   * and addImage() later finds the work done. A corrupt layer's blob is deleted and no snapshot is left;
   * the error names the layer, its digest and both diff IDs. Pin the blob and its diff ID first.
   */
  async prepareLayer(image: PulledImage, i: number): Promise<LayerBlob> {
    await this.init();
    const { diffIds } = await this.pulledConfig(image);
    const blob = image.layers[i];
    if (!blob) throw new RangeError(`layer ${i + 1} of ${image.layers.length}`);
    return this.prepare(image, i, blob, diffIds[i] as string);
  }

  /**
   * Registers an image whose manifest, config and layer blobs are already in the store (a pull):
   * checks each layer against the config's diff IDs, unpacks it (unless prepareLayer did) and names the image.
   */
  async addImage(image: PulledImage): Promise<ImageRecord> {
    await this.init();
    const config = await this.pulledConfig(image);
    const layers: LayerBlob[] = [];
    // Held until the commit: an unnamed snapshot is garbage to a concurrent gc() until images.json lists it.
    for (const d of config.diffIds) this.pins.add(d);
    try {
      for (const [i, blob] of image.layers.entries()) layers.push(await this.prepare(image, i, blob, config.diffIds[i] as string));
      const names = image.names.map((n) => normalizeTag(n));
      const [record] = await this.lock.run(() => this.commit([{ names, manifestDigest: image.manifestDigest, configDigest: image.configDigest, config, layers }]));
      return record as ImageRecord;
    } finally {
      for (const d of config.diffIds) this.pins.release(d);
    }
  }

  private async pulledConfig(image: PulledImage): Promise<ParsedConfig> {
    const label = image.names[0] ?? image.manifestDigest;
    const config = parseConfig(parseJson(await this.readBlob(image.configDigest), `config of ${label}`), `config ${image.configDigest} of ${label}`);
    if (config.diffIds.length !== image.layers.length) {
      throw new ApiError('BadRequest', `image ${label}: the manifest lists ${image.layers.length} layers but the config lists ${config.diffIds.length} diff IDs`);
    }
    return config;
  }

  private async prepare(image: PulledImage, i: number, blob: BlobExpect, diffId: string): Promise<LayerBlob> {
    const what = `layer ${i + 1}/${image.layers.length} (blob ${blob.digest}) of ${image.names[0] ?? image.manifestDigest}`;
    const known = this.images.flatMap((img) => img.layers).find((l) => l.digest === blob.digest && l.diffId === diffId);
    this.pins.add(blob.digest);
    this.pins.add(diffId);
    try {
      return await this.layers.prepare(blob, diffId, what, known);
    } finally {
      this.pins.release(blob.digest);
      this.pins.release(diffId);
    }
  }

  private async commit(imported: ImportedImage[]): Promise<ImageRecord[]> {
    const merged = mergeImported(this.images, imported);
    await this.save(merged.images);
    if (merged.released.length > 0) await this.collect({ blobs: merged.released, diffIds: [] });
    return merged.imported.map(toRecord);
  }

  /** Calls `listener` after every change of images.json (import, pull, build, tag, remove); returns an unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  private async save(images: StoredImage[]): Promise<void> {
    await this.index.save(images);
    this.images = images;
    for (const l of this.listeners) { try { l(); } catch { /* a listener never fails the change */ } }
  }

  private collect(candidates: { blobs: string[]; diffIds: string[] } | undefined): Promise<GcResult> {
    return collectGarbage({ ...this.gcInput(), candidates });
  }

  private gcInput(): GcInput {
    return { layout: this.layout, images: this.images, pinned: (d) => this.pins.has(d), inUse: this.opts.inUse };
  }

  /** One unpack per layer at a time, even when two imports share it. */
  private unpack(layer: LayerBlob): Promise<boolean> {
    return this.layers.ensure(layer);
  }
}

/** Opens (creating if needed) the store at rootDir. */
export async function openImageStore(rootDir: string, opts: ImageStoreOptions = {}): Promise<OciImageStore> {
  const store = new OciImageStore(rootDir, opts);
  await store.init();
  return store;
}
