import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;

/** True for a well-formed "sha256:<64 hex>" digest (the only algorithm image stores use). */
export function isDigest(value: unknown): value is string {
  return typeof value === 'string' && DIGEST_RE.test(value);
}

/** The hex part of a digest, used for file names. */
export function hexOf(digest: string): string {
  if (!isDigest(digest)) throw new Error(`not a sha256 digest: ${JSON.stringify(digest)}`);
  return digest.slice('sha256:'.length);
}

/** Digest of bytes held in memory. */
export function sha256(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Hashes a stream to its end. */
export async function hashStream(stream: Readable): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    const buf = chunk as Buffer;
    hash.update(buf);
    size += buf.length;
  }
  return { digest: `sha256:${hash.digest('hex')}`, size };
}

/** Short form for messages: "sha256:0123456789ab". */
export function shortDigest(digest: string): string {
  return digest.slice(0, 'sha256:'.length + 12);
}
