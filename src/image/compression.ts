import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { MediaType } from './formats.js';

/** How a layer blob is compressed, read from its first bytes. */
export type Compression = 'none' | 'gzip' | 'zstd';

/** Detects gzip (1f 8b) and zstd (28 b5 2f fd) by magic bytes; names and media types are not trusted. */
export async function detectCompression(file: string): Promise<Compression> {
  const fh = await open(file, 'r');
  try {
    const b = Buffer.alloc(4);
    const { bytesRead } = await fh.read(b, 0, 4, 0);
    if (bytesRead >= 2 && b[0] === 0x1f && b[1] === 0x8b) return 'gzip';
    if (bytesRead === 4 && b.readUInt32BE(0) === 0x28b52ffd) return 'zstd';
    return 'none';
  } finally {
    await fh.close();
  }
}

/** The OCI layer media type for a compression. */
export function layerMediaType(c: Compression): string {
  return c === 'gzip' ? MediaType.ociLayerGzip : c === 'zstd' ? MediaType.ociLayerZstd : MediaType.ociLayer;
}

// Large chunks: a layer is tens of MB, and every chunk costs a hash update and a pipe write to tar.
const READ_CHUNK = 1024 * 1024;
const INFLATE_CHUNK = 256 * 1024;

/** The uncompressed tar stream of a layer blob. */
export function decompressedStream(file: string, c: Compression): Readable {
  if (c === 'none') return createReadStream(file, { highWaterMark: READ_CHUNK });
  if (c === 'gzip') {
    const gunzip = createGunzip({ chunkSize: INFLATE_CHUNK });
    const input = createReadStream(file, { highWaterMark: READ_CHUNK });
    // pipe() does not forward a read error; the reader of the gunzip stream must still see it.
    input.on('error', (e) => gunzip.destroy(e));
    // Nor does it close the file when the reader stops early (a client that hung up on image save):
    // without this the blob's fd stayed open for good.
    gunzip.once('close', () => input.destroy());
    return input.pipe(gunzip);
  }
  // Node 20's zlib has no zstd; the zstd tool is installed beside GNU tar.
  const out = new PassThrough();
  const child = spawn('zstd', ['-dcq', '--', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
  child.stdout.pipe(out, { end: false });
  child.on('error', (e) => out.destroy(new Error(`zstd: ${e.message} (install zstd to import zstd-compressed layers)`)));
  // A reader that stops early stops zstd too, instead of leaving it blocked on a full pipe.
  out.once('close', () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
  child.on('close', (code) => {
    if (code === 0) out.end();
    else out.destroy(new Error(`zstd -d failed: ${stderr.trim() || `exit code ${code}`}`));
  });
  return out;
}

/** GNU tar's flag for a compression. */
export function tarFlags(c: Compression): string[] {
  return c === 'gzip' ? ['-z'] : c === 'zstd' ? ['--zstd'] : [];
}
