import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TarArchive } from './archive.js';
import { decompressedStream, detectCompression, layerMediaType } from './compression.js';
import { hashStream, sha256 } from './digest.js';
import { archiveError } from './errors.js';
import type { LayerBlob } from './formats.js';
import type { StoreLayout } from './layout.js';
import { parseJsonBounded } from '../api/bounded-parse.js';

/** What the archive's metadata promises about a blob; unknown parts are simply not checked. */
export interface Expect {
  digest?: string;
  size?: number;
}

const AGAIN = 'The archive is damaged; copy or export it again. Nothing was imported.';

/** Copies blobs from an archive into the store, verifying each one before it becomes visible. */
export class Ingester {
  constructor(
    private readonly layout: StoreLayout,
    private readonly archive: TarArchive,
    /** Called before a blob appears in the store, so garbage collection leaves it alone. */
    private readonly pin: (digest: string) => void,
  ) {}

  /** Reads, verifies and stores a JSON blob (manifest, index, config). */
  async json(member: string, expect: Expect, what: string): Promise<{ value: unknown; digest: string; size: number }> {
    const bytes = await this.archive.read(member, what);
    const digest = sha256(bytes);
    checkBlob(what, expect, digest, bytes.length);
    await this.putBytes(bytes);
    let value: unknown;
    try {
      value = parseJsonBounded(bytes.toString('utf8'), what);
    } catch (e) {
      throw archiveError(`${what} is not valid JSON (${(e as Error).message})`);
    }
    return { value, digest, size: bytes.length };
  }

  /** Stores bytes produced by the store itself (synthesised manifests). */
  async putBytes(bytes: Buffer): Promise<{ digest: string; size: number }> {
    const digest = sha256(bytes);
    this.pin(digest);
    const tmp = this.tmpPath();
    await writeFile(tmp, bytes, { flush: true });
    await rename(tmp, this.layout.blob(digest));
    return { digest, size: bytes.length };
  }

  /** Copies a layer, checking its blob digest/size and the digest of its uncompressed tar (the diff ID). */
  async layer(member: string, expect: Expect, diffId: string, what: string): Promise<LayerBlob> {
    const entry = this.archive.member(member, what);
    if (expect.size !== undefined && entry.size !== expect.size) {
      throw archiveError(entry.size < expect.size
        ? `${what} is truncated: the manifest says ${expect.size} bytes, the archive holds ${entry.size}. ${AGAIN}`
        : `${what} has ${entry.size} bytes but the manifest says ${expect.size}. ${AGAIN}`);
    }
    const tmp = this.tmpPath();
    try {
      const hash = createHash('sha256');
      const tee = new Transform({ transform(chunk: Buffer, _enc, cb) { hash.update(chunk); cb(null, chunk); } });
      await pipeline(this.archive.stream(entry), tee, createWriteStream(tmp));
      const digest = `sha256:${hash.digest('hex')}`;
      checkBlob(what, expect, digest, entry.size);
      const compression = await detectCompression(tmp);
      let diff: { digest: string; size: number };
      try {
        diff = await hashStream(decompressedStream(tmp, compression));
      } catch (e) {
        throw archiveError(`${what} (${compression}) cannot be decompressed: ${(e as Error).message}. ${AGAIN}`);
      }
      if (diff.digest !== diffId) {
        throw archiveError(`${what} is corrupt: its uncompressed content hashes to ${diff.digest} but the image config lists diff ID ${diffId}. ${AGAIN}`);
      }
      await fsyncFile(tmp);
      this.pin(digest);
      await rename(tmp, this.layout.blob(digest));
      return { digest, size: entry.size, mediaType: layerMediaType(compression), diffId, unpackedSize: diff.size };
    } finally {
      await rm(tmp, { force: true });
    }
  }

  private tmpPath(): string {
    return join(this.layout.tmpDir, `blob-${randomBytes(8).toString('hex')}`);
  }
}

/** Throws when a blob's digest or size is not what its descriptor promised. */
export function checkBlob(what: string, expect: Expect, digest: string, size: number): void {
  if (expect.size !== undefined && size < expect.size) {
    throw archiveError(`${what} is truncated: the manifest says ${expect.size} bytes, the archive holds ${size}. ${AGAIN}`);
  }
  if (expect.digest !== undefined && digest !== expect.digest) {
    throw archiveError(`${what} is corrupt: its content hashes to ${digest}, not ${expect.digest}. ${AGAIN}`);
  }
  if (expect.size !== undefined && size !== expect.size) {
    throw archiveError(`${what} has ${size} bytes but the manifest says ${expect.size}. ${AGAIN}`);
  }
}

async function fsyncFile(file: string): Promise<void> {
  const fh = await open(file, 'r+');
  try { await fh.sync(); } finally { await fh.close(); }
}
