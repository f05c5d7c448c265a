import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { ApiError } from '../api/errors.js';
import { detectCompression, decompressedStream } from './compression.js';
import { hexOf } from './digest.js';
import { MediaType } from './formats.js';
import type { StoredImage } from './index-file.js';
import type { StoreLayout } from './layout.js';
import { findImage } from './lookup.js';
import { parseReference } from './reference.js';
import { tarEnd, tarHeader, tarPadding } from './tar-writer.js';

/** One image to save and the names (canonical tags) it is saved under. */
export interface SaveItem {
  image: StoredImage;
  tags: string[];
}

/** Groups refs by image, in the order given: a name adds its tag; an ID or digest adds none (as docker save). */
export function planSave(images: StoredImage[], refs: string[]): SaveItem[] {
  const items: SaveItem[] = [];
  for (const ref of refs) {
    const m = findImage(images, ref);
    if (!m) throw new ApiError('NotFound', `No such image: ${ref}`, { kind: 'Image', name: ref });
    let item = items.find((i) => i.image.id === m.image.id);
    if (!item) { item = { image: m.image, tags: [] }; items.push(item); }
    if (m.by === 'name' && !item.tags.includes(m.name)) item.tags.push(m.name);
  }
  return items;
}

/** Docker's short spelling of a canonical name: busybox:latest for docker.io/library/busybox:latest. */
export function familiarName(name: string): string {
  return name.replace(/^docker\.io\/library\/(?=[^/]+$)/, '').replace(/^docker\.io\//, '');
}

function blobPath(digest: string): string {
  return `blobs/sha256/${hexOf(digest)}`;
}

/** Where docker's manifest.json finds a layer: the uncompressed tar, whose sha256 is the diff ID. */
function dockerLayerPath(diffId: string): string {
  return blobPath(diffId);
}

/** index.json (OCI layout, one descriptor per saved name) and manifest.json (docker save). */
export function saveIndexes(items: SaveItem[], manifests: Map<string, { mediaType: string; size: number }>): { index: Buffer; manifest: Buffer } {
  const descriptors: unknown[] = [];
  for (const { image, tags } of items) {
    const m = manifests.get(image.digest) ?? { mediaType: MediaType.ociManifest, size: 0 };
    const base = { mediaType: m.mediaType, digest: image.digest, size: m.size };
    if (tags.length === 0) descriptors.push(base);
    for (const tag of tags) {
      const ref = parseReference(tag);
      descriptors.push({ ...base, annotations: { 'io.containerd.image.name': tag, 'org.opencontainers.image.ref.name': ref.tag ?? 'latest' } });
    }
  }
  const manifest = items.map(({ image, tags }) => ({
    Config: blobPath(image.id),
    RepoTags: tags.length > 0 ? tags.map(familiarName) : null,
    Layers: image.layers.map((l) => dockerLayerPath(l.diffId)),
  }));
  return {
    index: Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: descriptors })),
    manifest: Buffer.from(JSON.stringify(manifest)),
  };
}

/** Reads the media type of a stored manifest (docker v2 or OCI) for its index descriptor. */
async function manifestInfo(layout: StoreLayout, digest: string): Promise<{ mediaType: string; size: number }> {
  const bytes = await readFile(layout.blob(digest));
  let mediaType: string = MediaType.ociManifest;
  try {
    const doc = JSON.parse(bytes.toString('utf8')) as { mediaType?: unknown };
    if (typeof doc.mediaType === 'string') mediaType = doc.mediaType;
  } catch { /* the store verified it when it came in; keep the OCI default */ }
  return { mediaType, size: bytes.length };
}

/** A member: a directory, bytes, a blob file as stored, or a layer blob written uncompressed and checked against its diff ID. */
export type SaveMember =
  | { name: string; kind: 'dir' }
  | { name: string; kind: 'bytes'; bytes: Buffer }
  | { name: string; kind: 'file'; file: string }
  | { name: string; kind: 'layer'; file: string; diffId: string; size: number };

/** Every member of the archive, blobs first (as Docker writes it); each blob once however many images share it. */
export async function saveMembers(layout: StoreLayout, items: SaveItem[]): Promise<SaveMember[]> {
  const members: SaveMember[] = [{ name: 'blobs/', kind: 'dir' }, { name: 'blobs/sha256/', kind: 'dir' }];
  const seen = new Set<string>();
  const manifests = new Map<string, { mediaType: string; size: number }>();
  const addFile = (digest: string): void => {
    if (seen.has(digest)) return;
    seen.add(digest);
    members.push({ name: blobPath(digest), kind: 'file', file: layout.blob(digest) });
  };
  for (const { image } of items) {
    manifests.set(image.digest, await manifestInfo(layout, image.digest));
    addFile(image.digest);
    addFile(image.id);
    for (const layer of image.layers) {
      addFile(layer.digest);
      // A compressed blob is not what docker load hashes: add the plain tar under its diff ID.
      if (layer.digest !== layer.diffId && !seen.has(layer.diffId)) {
        seen.add(layer.diffId);
        members.push({ name: blobPath(layer.diffId), kind: 'layer', file: layout.blob(layer.digest), diffId: layer.diffId, size: layer.unpackedSize });
      }
    }
  }
  const { index, manifest } = saveIndexes(items, manifests);
  members.push({ name: 'index.json', kind: 'bytes', bytes: index });
  members.push({ name: 'manifest.json', kind: 'bytes', bytes: manifest });
  members.push({ name: 'oci-layout', kind: 'bytes', bytes: Buffer.from('{"imageLayoutVersion":"1.0.0"}') });
  return members;
}

/** Streams the members as a tar; pulled by the reader, so a slow client never makes the node buffer. */
export function tarStream(members: SaveMember[]): Readable {
  async function* generate(): AsyncGenerator<Buffer> {
    for (const m of members) {
      if (m.kind === 'dir') { yield tarHeader(m.name, undefined); continue; }
      if (m.kind === 'bytes') { yield tarHeader(m.name, m.bytes.length); yield m.bytes; yield tarPadding(m.bytes.length); continue; }
      if (m.kind === 'file') {
        const size = (await stat(m.file)).size;
        yield tarHeader(m.name, size);
        let n = 0;
        for await (const chunk of createReadStream(m.file)) { n += (chunk as Buffer).length; yield chunk as Buffer; }
        if (n !== size) throw new Error(`blob ${m.file} changed size while it was saved (${size} -> ${n} bytes)`);
        yield tarPadding(size);
        continue;
      }
      yield tarHeader(m.name, m.size);
      const hash = createHash('sha256');
      let n = 0;
      for await (const chunk of decompressedStream(m.file, await detectCompression(m.file))) {
        const b = chunk as Buffer;
        n += b.length;
        if (n > m.size) throw new Error(`layer ${m.diffId} is longer uncompressed than recorded (${m.size} bytes); the store is damaged: remove the image and import it again`);
        hash.update(b);
        yield b;
      }
      const digest = `sha256:${hash.digest('hex')}`;
      if (n !== m.size || digest !== m.diffId) {
        throw new Error(`layer ${m.diffId} does not match its blob (${n} bytes, ${digest}); the store is damaged: remove the image and import it again`);
      }
      yield tarPadding(m.size);
    }
    yield tarEnd();
  }
  return Readable.from(generate(), { objectMode: false });
}
