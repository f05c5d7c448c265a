import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { RegistryError } from './errors.js';
import { serveRegistry, type RegistryHandler } from './handler.js';
import { parseManifest } from './manifest.js';
import { isTag, parseDigest, parseRegistryPath } from './names.js';
import { collectRegistryGarbage, type RegistryGcOptions, type RegistryGcResult } from './gc.js';
import { RegistryStorage } from './storage.js';

/**
 * In-process writes to the registry, for the daemon (it mirrors the server node's images): the same
 * checks as an HTTP push (blobs verified before they are named, a manifest only over blobs its
 * repository holds, exact bytes) without a token or a socket.
 */
export class LocalRegistry {
  constructor(private readonly storage: RegistryStorage) {}

  /** The digest `tag` names in `repository`, if any. */
  async tagDigest(repository: string, tag: string): Promise<string | undefined> {
    checkName(repository);
    return (await this.storage.resolveTag(repository, tag))?.text;
  }

  /**
   * Stores a blob read from `source` (a file path or a stream) under `digest` in `repository`; the
   * bytes are hashed first and nothing is stored when they do not match. A blob already in the
   * registry is only linked.
   */
  async putBlob(repository: string, digest: string, source: string | Readable): Promise<void> {
    checkName(repository);
    const d = parseDigest(digest);
    if ((await this.storage.blobSize(repository, d)) !== undefined) return;
    if (await exists(this.storage.blobPath(d))) {
      if (typeof source !== 'string') source.destroy();
      await this.storage.linkBlob(repository, d);
      return;
    }
    const tmp = path.join(this.storage.tmpDir, `local-${randomUUID()}`);
    const hash = createHash('sha256');
    const fh = await open(tmp, 'w', 0o644);
    try {
      try {
        for await (const chunk of typeof source === 'string' ? createReadStream(source) : source) {
          const b = chunk as Buffer;
          hash.update(b);
          await fh.write(b);
        }
        await fh.sync();
      } finally { await fh.close(); }
      const actual = `sha256:${hash.digest('hex')}`;
      if (actual !== d.text) throw new RegistryError('DIGEST_INVALID', `the content for ${d.text} has digest ${actual}: nothing was stored`, { digest: d.text, actual });
      await this.storage.commitBlob(repository, d, tmp);
    } finally {
      await rm(tmp, { force: true });
    }
  }

  /** Whether `repository` holds the blob or manifest `digest` (HA: what a server fetches from its peers when not). */
  async has(repository: string, digest: string): Promise<boolean> {
    checkName(repository);
    const d = parseDigest(digest);
    return (await this.storage.blobSize(repository, d)) !== undefined || await this.storage.hasManifest(repository, d);
  }

  /** Points `tag` at a manifest `repository` holds already; false when it holds none by that digest. */
  async tag(repository: string, tag: string, digest: string): Promise<boolean> {
    checkName(repository);
    if (!isTag(tag)) throw new RegistryError('MANIFEST_INVALID', `invalid tag "${tag}"`, { tag });
    const d = parseDigest(digest);
    const m = await this.storage.getManifest(repository, d);
    if (!m) return false;
    await this.storage.putManifest(repository, d, m.mediaType, m.bytes, tag);
    return true;
  }

  /** Removes `tag` from `repository` (the manifest stays); false when there was none. */
  deleteTag(repository: string, tag: string): Promise<boolean> {
    checkName(repository);
    return this.storage.deleteTag(repository, tag);
  }

  /** The sorted tags of `repository`; undefined when it does not exist. */
  tags(repository: string): Promise<string[] | undefined> {
    checkName(repository);
    return this.storage.tags(repository);
  }

  /**
   * Stores a manifest's exact bytes in `repository` and points `tag` (when given) at it; every blob it
   * references must be in the repository already (MANIFEST_BLOB_UNKNOWN otherwise). Returns its digest.
   */
  async putManifest(repository: string, bytes: Buffer, tag?: string, mediaType?: string): Promise<string> {
    checkName(repository);
    if (tag !== undefined && !isTag(tag)) throw new RegistryError('MANIFEST_INVALID', `invalid tag "${tag}"`, { tag });
    const d = parseDigest(`sha256:${createHash('sha256').update(bytes).digest('hex')}`);
    await this.storage.storeManifest(repository, d, parseManifest(bytes, mediaType), bytes, tag);
    return d.text;
  }
}

/** The same name grammar as HTTP paths (NAME_INVALID), so a name can never leave repositories/. */
function checkName(repository: string): void { parseRegistryPath(`/v2/${repository}/tags/list`); }

const exists = (p: string): Promise<boolean> => open(p, 'r').then(async (fh) => { await fh.close(); return true; }, () => false);

/** Opens the registry under `root` once: the HTTP handler, the in-process writer, and its garbage collection. */
export async function openBuiltinRegistry(root: string): Promise<{ handler: RegistryHandler; local: LocalRegistry; collectGarbage: (opts: RegistryGcOptions) => Promise<RegistryGcResult>; storage: RegistryStorage }> {
  const storage = await RegistryStorage.open(root);
  return { handler: await serveRegistry(storage), local: new LocalRegistry(storage), collectGarbage: (opts) => collectRegistryGarbage(storage, opts), storage };
}
