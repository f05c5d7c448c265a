import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../api/errors.js';
import { decompressedStream, detectCompression, layerMediaType } from './compression.js';
import { archiveError } from './errors.js';
import { run } from './exec.js';
import type { LayerBlob } from './formats.js';
import { extractHashing } from './hashed-extract.js';
import type { StoreLayout } from './layout.js';
import type { BlobExpect } from './types.js';
import { convertWhiteouts } from './whiteouts.js';

/** GNU tar as root: keep numeric owners, modes and xattrs, but never let a layer set overlay's own xattrs. */
const TAR_EXTRACT = ['-x', '--numeric-owner', '--xattrs', "--xattrs-include=*", '--xattrs-exclude=trusted.overlay.*', '-p', '--same-owner'];

/** What unpackLayer did: `layer` (described in the same pass) when it unpacked, nothing when the snapshot existed. */
export type Unpacked = { unpacked: true; layer: LayerBlob } | { unpacked: false };

/** Options of unpackLayer. */
export interface UnpackOptions {
  /** Delete the blob when its content is not the diff ID (a fresh download: the next pull fetches it again). */
  removeCorrupt?: boolean;
}

/**
 * Unpacks a layer blob into snapshots/<diffID>/fs unless that exists, in ONE decompression: the tar
 * stream is hashed while GNU tar extracts it into a temporary directory, which is renamed into place
 * only when the stream hashes to diffId and the files are flushed, so neither a crash nor a corrupt
 * blob ever leaves a (half) snapshot under the real name. `what` names the layer in errors.
 */
export async function unpackLayer(layout: StoreLayout, blob: BlobExpect, diffId: string, what: string, opts: UnpackOptions = {}): Promise<Unpacked> {
  const final = layout.snapshot(diffId);
  if (await exists(join(final, 'fs'))) return { unpacked: false };
  const tmp = join(layout.snapshotsDir, `.tmp-${randomBytes(8).toString('hex')}`);
  const fs = join(tmp, 'fs');
  const file = layout.blob(blob.digest);
  try {
    await mkdir(fs, { recursive: true, mode: 0o755 });
    const compression = await detectCompression(file);
    const got = await extractHashing(decompressedStream(file, compression), [...TAR_EXTRACT, '-C', fs]);
    if (got.readError) {
      if (opts.removeCorrupt) await rm(file, { force: true });
      throw archiveError(`${what} (${compression}) cannot be decompressed: ${got.readError.message}`);
    }
    if (got.digest !== diffId) {
      if (opts.removeCorrupt) await rm(file, { force: true });
      throw archiveError(`${what} is corrupt: its uncompressed content hashes to ${got.digest} but the image config lists diff ID ${diffId}`);
    }
    // The content is right, so a tar failure is the layer's own (a member escaping the root, a full disk).
    if (got.tarError) throw got.tarError;
    await convertWhiteouts(fs);
    // Flush the unpacked files before the rename makes the snapshot look complete.
    await run('sync', ['-f', fs]);
    const layer: LayerBlob = { digest: blob.digest, size: blob.size, mediaType: layerMediaType(compression), diffId, unpackedSize: got.size };
    try {
      await rename(tmp, final);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST') return { unpacked: true, layer }; // another store user finished it first
      throw e;
    }
    return { unpacked: true, layer };
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new Error(`unpacking layer ${diffId} (blob ${blob.digest}) failed: ${(e as Error).message}`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * Unpacks an already described layer into snapshots/<diffID>/fs unless it is already there (import,
 * a snapshot deleted by hand). Its content is checked against the diff ID on the way, but the blob is
 * kept on a mismatch: it belongs to a registered image. Returns true when it unpacked.
 */
export async function ensureSnapshot(layout: StoreLayout, layer: LayerBlob): Promise<boolean> {
  try {
    return (await unpackLayer(layout, layer, layer.diffId, 'the blob')).unpacked;
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    throw new Error(`unpacking layer ${layer.diffId} (blob ${layer.digest}) failed: ${e.message}`);
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}
