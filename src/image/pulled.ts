import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decompressedStream, detectCompression, layerMediaType } from './compression.js';
import { hashStream, sha256 } from './digest.js';
import { archiveError } from './errors.js';
import type { LayerBlob } from './formats.js';
import type { StoreLayout } from './layout.js';
import type { BlobExpect } from './types.js';

const AGAIN = 'The partial download was discarded; pull again.';

/** Whether a verified blob is in the store. */
export async function blobExists(layout: StoreLayout, digest: string): Promise<boolean> {
  return stat(layout.blob(digest)).then((s) => s.isFile(), () => false);
}

/**
 * Verifies a downloaded file (digest and size) and renames it into blobs/. A file that does not match
 * is deleted, so a corrupt partial download never poisons the next attempt.
 */
export async function adoptFile(layout: StoreLayout, file: string, expect: BlobExpect, what: string): Promise<void> {
  const got = await hashStream(createReadStream(file));
  if (got.digest !== expect.digest || got.size !== expect.size) {
    await rm(file, { force: true });
    throw archiveError(got.size !== expect.size
      ? `${what} has ${got.size} bytes but the manifest says ${expect.size}. ${AGAIN}`
      : `${what} is corrupt: its content hashes to ${got.digest}, not ${expect.digest}. ${AGAIN}`);
  }
  const fh = await open(file, 'r+');
  try { await fh.sync(); } finally { await fh.close(); }
  await rename(file, layout.blob(expect.digest));
}

/** Verifies bytes held in memory (manifests, configs) and stores them. */
export async function adoptBytes(layout: StoreLayout, bytes: Buffer, expect: Partial<BlobExpect> & { digest: string }, what: string): Promise<void> {
  const digest = sha256(bytes);
  if (digest !== expect.digest) throw archiveError(`${what} is corrupt: its content hashes to ${digest}, not ${expect.digest}`);
  if (expect.size !== undefined && bytes.length !== expect.size) throw archiveError(`${what} has ${bytes.length} bytes but its descriptor says ${expect.size}`);
  const tmp = join(layout.tmpDir, `blob-${randomBytes(8).toString('hex')}`);
  await writeFile(tmp, bytes, { flush: true });
  await rename(tmp, layout.blob(digest));
}

/**
 * Checks a stored layer blob against its diff ID (the digest of the uncompressed tar) and describes it,
 * without unpacking: for a blob whose snapshot already exists (unpack.ts's unpackLayer does both at once).
 */
export async function describeLayer(layout: StoreLayout, blob: BlobExpect, diffId: string, what: string): Promise<LayerBlob> {
  const file = layout.blob(blob.digest);
  const compression = await detectCompression(file);
  let diff: { digest: string; size: number };
  try {
    diff = await hashStream(decompressedStream(file, compression));
  } catch (e) {
    await rm(file, { force: true });
    throw archiveError(`${what} (${compression}) cannot be decompressed: ${(e as Error).message}`);
  }
  if (diff.digest !== diffId) {
    await rm(file, { force: true });
    throw archiveError(`${what} is corrupt: its uncompressed content hashes to ${diff.digest} but the image config lists diff ID ${diffId}`);
  }
  return { digest: blob.digest, size: blob.size, mediaType: layerMediaType(compression), diffId, unpackedSize: diff.size };
}
