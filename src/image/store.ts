import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { TarArchive } from './archive.js';
import { LocalContentStore } from './content-store.js';
import type { StoreCore } from './core.js';
import { archiveError, wrapError } from './errors.js';
import type { ImportedImage } from './formats.js';
import { blobsOf, type GcResult, type InUseHook } from './gc.js';
import { LocalImageIndex } from './image-index.js';
import { IndexFile } from './index-file.js';
import { Ingester } from './ingest.js';
import { LayerPreparer } from './layer-prep.js';
import { StoreLayout } from './layout.js';
import { Mutex } from './mutex.js';
import { Pins } from './pins.js';
import { nodePlatform, type Platform } from './platform.js';
import { pruneImages } from './prune.js';
import { readArchive } from './read-archive.js';
import { normalizeTag } from './reference.js';
import { planSave, saveMembers, tarStream } from './save.js';
import { OverlaySnapshotter } from './snapshotter.js';
import type { ImageRecord, ImageStore, PruneResult, RemovedImage, RemoveOptions } from './types.js';

export type { PruneResult, RemoveOptions } from './types.js';

/** Options for an image store. */
export interface ImageStoreOptions {
  /** True when a snapshot's fs dir is a lower dir of a live container; such snapshots are never deleted. */
  inUse?: InUseHook;
  /** Platform to pick from multi-platform archives (default: this node, linux/<arch>). */
  platform?: Platform;
}

/**
 * The node's image store on disk: a content store (blobs/), an image index (images.json) and an
 * overlay snapshotter (snapshots/, active/), with import, save, prune and collection over the three.
 */
export class OciImageStore implements ImageStore {
  readonly content: LocalContentStore;
  readonly index: LocalImageIndex;
  readonly snapshots: OverlaySnapshotter;
  private readonly core: StoreCore;
  private ready: Promise<void> | undefined;

  constructor(readonly rootDir: string, opts: ImageStoreOptions = {}) {
    const layout = new StoreLayout(rootDir);
    this.core = {
      layout, pins: new Pins(), lock: new Mutex(), layers: new LayerPreparer(layout),
      images: () => this.index.current(), inUse: opts.inUse, ready: () => this.init(),
    };
    this.content = new LocalContentStore(this.core);
    this.snapshots = new OverlaySnapshotter(this.core, this.content);
    this.index = new LocalImageIndex(this.core, new IndexFile(layout.indexFile), this.content, this.snapshots, opts.platform ?? nodePlatform());
  }

  /** Creates the directories, drops leftovers of interrupted work, loads images.json. Called lazily. */
  init(): Promise<void> {
    this.ready ??= (async () => {
      const { layout } = this.core;
      await rm(layout.tmpDir, { recursive: true, force: true });
      for (const dir of [layout.blobsDir, layout.snapshotsDir, layout.tmpDir, layout.ingestDir]) await mkdir(dir, { recursive: true });
      for (const name of await readdir(layout.snapshotsDir)) {
        if (name.startsWith('.')) await rm(join(layout.snapshotsDir, name), { recursive: true, force: true });
      }
      await this.index.load();
    })();
    return this.ready;
  }

  /** Imports every image in a docker-save or OCI archive; `ref` adds a name (the only one when the archive names none). */
  async importArchive(file: string, ref?: string): Promise<ImageRecord[]> {
    await this.init();
    const { layout, pins, lock, layers } = this.core;
    const extraName = ref === undefined ? undefined : normalizeTag(ref);
    const work = await mkdtemp(join(layout.tmpDir, 'import-'));
    const pinned: string[] = [];
    const pin = (d: string): void => { pinned.push(d); pins.add(d); };
    let ok = false;
    try {
      const archive = await TarArchive.open(file, work);
      const imported = await readArchive(archive, new Ingester(layout, archive, pin), this.index.platform);
      if (extraName) {
        if (imported.length !== 1) throw archiveError(`${file} holds ${imported.length} images; a name can be given only for an archive with one image`);
        const only = imported[0] as ImportedImage;
        only.names = [...new Set([...only.names, extraName])];
      }
      // One unpack per layer at a time, even when two imports share it.
      for (const layer of imported.flatMap((i) => i.layers)) {
        pin(layer.diffId);
        await layers.ensure(layer);
      }
      const records = await lock.run(() => this.index.commit(imported));
      ok = true;
      return records;
    } catch (e) {
      throw wrapError(`importing ${file}`, e);
    } finally {
      for (const d of pinned) pins.release(d);
      await rm(work, { recursive: true, force: true });
      // A failed import registers nothing, so whatever it stored is garbage unless another image uses it.
      if (!ok) await lock.run(() => this.index.collect({ blobs: pinned, diffIds: pinned })).catch(() => undefined);
    }
  }

  /**
   * Streams one archive of the images refs name, laid out as Docker 25's `docker save` (docker-save
   * manifest.json + OCI layout); an unknown ref rejects before any byte. Blobs stay pinned until the
   * stream closes, so a concurrent `rm` cannot pull them away mid-read.
   */
  async exportImages(refs: string[]): Promise<Readable> {
    await this.init();
    const items = planSave(this.index.current(), refs);
    const held = items.flatMap(({ image }) => [...blobsOf(image), ...image.diffIds]);
    for (const d of held) this.core.pins.add(d);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      for (const d of held) this.core.pins.release(d);
    };
    try {
      const stream = tarStream(await saveMembers(this.core.layout, items));
      stream.once('close', release);
      return stream;
    } catch (e) {
      release();
      throw e;
    }
  }

  async prune(opts: { all?: boolean; keep?: (image: ImageRecord) => boolean } = {}): Promise<PruneResult> {
    await this.init();
    return pruneImages(this.core, this.index, opts);
  }

  async gc(): Promise<GcResult> {
    await this.init();
    return this.core.lock.run(() => this.index.collect(undefined));
  }

  list(): Promise<ImageRecord[]> { return this.index.list(); }
  resolve(ref: string): Promise<ImageRecord | undefined> { return this.index.resolve(ref); }
  tag(ref: string, name: string): Promise<ImageRecord> { return this.index.tag(ref, name); }
  remove(ref: string, opts: RemoveOptions = {}): Promise<RemovedImage> { return this.index.remove(ref, opts); }
  layerDirs(image: ImageRecord): Promise<string[]> { return this.snapshots.layerDirs(image); }
}

/** Opens (creating if needed) the store at rootDir. */
export async function openImageStore(rootDir: string, opts: ImageStoreOptions = {}): Promise<OciImageStore> {
  const store = new OciImageStore(rootDir, opts);
  await store.init();
  return store;
}
