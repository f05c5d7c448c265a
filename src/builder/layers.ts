/**
 * Where a build's layers live: base-image layers in the node's image store, built layers in the build
 * cache. Also writes the finished image as an OCI archive the store imports (verifying every blob).
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { ImageRecord, ImageStore } from '../image/types.js';
import type { BuildCache } from './cache.js';
import { configBytes, type BuildState, type LayerRef, type OciImageConfig } from './image-config.js';
import { TarWriter } from './tar-writer.js';

const hex = (d: string): string => d.replace(/^sha256:/, '');

/** Lookups over the node's image store (through its interfaces) and the build cache. */
export class LayerSources {
  constructor(private readonly images: ImageStore, private readonly cache: BuildCache,
    private readonly pull?: (ref: string) => Promise<void>) {}

  /** The state of a base image in the store (pulled when missing and a puller is set); layers are unpacked if needed. */
  async baseState(ref: string, out?: (text: string) => void): Promise<{ state: BuildState; record: ImageRecord }> {
    let record = await this.images.resolve(ref);
    if (!record && this.pull && out) {
      out(`Pulling ${ref}\n`);
      try {
        await this.pull(ref);
      } catch (e) {
        throw new Error(`image "${ref}" is not on this node and pulling it failed (${(e as Error).message}): pull it first (or load it with lcctl image import FILE ${ref})`);
      }
      out(`Status: Downloaded newer image for ${ref}\n`);
      record = await this.images.resolve(ref);
    }
    if (!record) throw new Error(`image "${ref}" is not on this node: pull it first (or load it with lcctl image import FILE ${ref})`);
    await this.images.layerDirs(record);
    const config = JSON.parse((await this.images.content.read(record.id)).toString('utf8')) as OciImageConfig;
    const manifest = JSON.parse((await this.images.content.read(record.digest)).toString('utf8')) as { layers?: Array<{ digest: string; size: number; mediaType: string }> };
    const diffIds = config.rootfs?.diff_ids ?? [];
    const layers = (manifest.layers ?? []).map((l, i) => ({ digest: l.digest, size: l.size, mediaType: l.mediaType, diffId: diffIds[i] ?? '' }));
    config.config ??= {};
    return { state: { config, layers }, record };
  }

  /** Overlay lower dirs of a state, top-most first, each dir once: built layers from the cache, the rest from the store's snapshots. */
  async fsDirs(state: BuildState): Promise<string[]> {
    const dirs: string[] = [];
    for (const l of state.layers) {
      const built = this.cache.layerFs(l.diffId);
      if (existsSync(built)) { dirs.push(built); continue; }
      const snapshot = await this.images.snapshots.stat(l.diffId);
      if (!snapshot) throw new Error(`layer ${l.diffId} is neither in the build cache nor unpacked in the image store: build again with --no-cache`);
      dirs.push(snapshot.dir);
    }
    return [...new Set(dirs.reverse())];
  }

  /** True when the layer's blob and unpacked tree are both there (in the cache or the store). */
  async available(l: LayerRef): Promise<boolean> {
    if (existsSync(this.cache.blobPath(l.digest)) && existsSync(this.cache.layerFs(l.diffId))) return true;
    return (await this.images.content.info(l.digest)) !== undefined && (await this.images.snapshots.stat(l.diffId)) !== undefined;
  }

  /** A layer blob's size and bytes: the cache's file, or the store's blob. */
  private async blob(digest: string): Promise<{ size: number; open: () => Readable }> {
    const built = this.cache.blobPath(digest);
    if (existsSync(built)) return { size: (await stat(built)).size, open: () => createReadStream(built) };
    const info = await this.images.content.info(digest);
    if (!info) throw new Error(`layer blob ${digest} is neither in the build cache nor in the image store: build again with --no-cache`);
    return { size: info.size, open: () => this.images.content.reader(digest) };
  }

  /** Writes state as an OCI image-layout tar at file; resolves with the manifest digest. */
  async writeArchive(state: BuildState, file: string): Promise<string> {
    const config = configBytes(state.config);
    const sha = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
    const manifest = Buffer.from(JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
      layers: state.layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
    }));
    const index = Buffer.from(JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha(manifest), size: manifest.length }],
    }));
    const out = createWriteStream(file);
    const closed = new Promise<void>((resolve, reject) => { out.on('close', resolve); out.on('error', reject); });
    const tar = new TarWriter(out);
    const now = Math.floor(Date.now() / 1000);
    const put = (name: string, b: Buffer): Promise<void> => tar.add({ name, type: 'file', mode: 0o644, uid: 0, gid: 0, size: b.length, mtime: now }, b);
    await put('oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}'));
    await put('index.json', index);
    await tar.add({ name: 'blobs', type: 'dir', mode: 0o755, uid: 0, gid: 0, size: 0, mtime: now });
    await tar.add({ name: 'blobs/sha256', type: 'dir', mode: 0o755, uid: 0, gid: 0, size: 0, mtime: now });
    await put(`blobs/sha256/${hex(sha(manifest))}`, manifest);
    await put(`blobs/sha256/${hex(sha(config))}`, config);
    const seen = new Set<string>();
    for (const l of state.layers) {
      if (seen.has(l.digest)) continue;
      seen.add(l.digest);
      const { size, open } = await this.blob(l.digest);
      await tar.add({ name: `blobs/sha256/${hex(l.digest)}`, type: 'file', mode: 0o644, uid: 0, gid: 0, size, mtime: now }, open());
    }
    await tar.finish();
    await closed;
    return sha(manifest);
  }
}
