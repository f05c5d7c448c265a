import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { RegistryError } from './errors.js';
import { writeFileAtomic } from './atomic.js';
import type { Digest } from './names.js';
import type { RegistryStorage } from './storage.js';

/** An inclusive byte range from a Content-Range header. */
export interface ByteRange { start: number; end: number }

/** Parse `N-M` (or `bytes N-M`, which some clients send); anything else is 416. */
export function parseContentRange(header: string): ByteRange {
  const m = /^(?:bytes[ =])?(\d+)-(\d+)(?:\/(?:\d+|\*))?$/.exec(header.trim());
  const range = m ? { start: Number(m[1]), end: Number(m[2]) } : undefined;
  if (!range || range.end < range.start) throw new RegistryError('BLOB_UPLOAD_INVALID', `invalid Content-Range "${header}": expected START-END, inclusive`, null, 416);
  return range;
}

/**
 * Upload sessions, one directory each under uploads/: `info.json` (the repository) and `data` (the
 * bytes so far). The offset is the size of `data`, so a session survives a restart of the server.
 */
export class Uploads {
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly storage: RegistryStorage) {}

  private dir(id: string): string { return path.join(this.storage.uploadsDir, id); }

  /** Start a session for repository `name`; returns its id. */
  async create(name: string): Promise<string> {
    const id = randomUUID();
    await mkdir(this.dir(id));
    const fh = await open(path.join(this.dir(id), 'data'), 'w', 0o644);
    await fh.close();
    await writeFileAtomic(this.storage.tmpDir, path.join(this.dir(id), 'info.json'), JSON.stringify({ name, startedAt: new Date().toISOString() }));
    return id;
  }

  /** Bytes received so far; BLOB_UPLOAD_UNKNOWN when the session does not exist for `name`. */
  async offset(name: string, id: string): Promise<number> {
    let info: unknown;
    try { info = JSON.parse(await readFile(path.join(this.dir(id), 'info.json'), 'utf8')); } catch { info = undefined; }
    if (typeof info !== 'object' || info === null || (info as { name?: unknown }).name !== name) {
      throw new RegistryError('BLOB_UPLOAD_UNKNOWN', `upload "${id}" of repository "${name}" is unknown (finished, cancelled or never started): start one with POST /v2/${name}/blobs/uploads/`, { id });
    }
    return (await stat(path.join(this.dir(id), 'data'))).size;
  }

  /**
   * Append a chunk. With `range`, it must start at the current offset (else 416) and its length must
   * match what arrived (else the chunk is dropped and BLOB_UPLOAD_INVALID). Returns the new offset.
   */
  write(name: string, id: string, body: AsyncIterable<Buffer>, range?: ByteRange): Promise<number> {
    return this.locked(id, async () => {
      const start = await this.offset(name, id);
      if (range && range.start !== start) {
        throw new RegistryError('RANGE_INVALID', `chunk starts at byte ${range.start} but the upload has ${start} bytes: send bytes from ${start} (GET the upload URL for its state)`, { offset: start }, 416, { range: rangeHeader(start) });
      }
      const fh = await open(path.join(this.dir(id), 'data'), 'r+');
      let pos = start;
      try {
        for await (const chunk of body) { await fh.write(chunk, 0, chunk.length, pos); pos += chunk.length; }
        if (range && pos - start !== range.end - range.start + 1) {
          await fh.truncate(start);
          throw new RegistryError('BLOB_UPLOAD_INVALID', `Content-Range ${range.start}-${range.end} announces ${range.end - range.start + 1} bytes but ${pos - start} arrived; the chunk was dropped, send it again`, { offset: start });
        }
        await fh.sync();
      } finally { await fh.close(); }
      return pos;
    });
  }

  /**
   * Finish a session: hash the whole upload, and only when it matches `digest` move it into the
   * blob store and link it into `name`. A mismatch deletes the session and stores nothing.
   */
  complete(name: string, id: string, digest: Digest): Promise<void> {
    return this.locked(id, async () => {
      await this.offset(name, id);
      const data = path.join(this.dir(id), 'data');
      const hash = createHash(digest.algorithm);
      await pipeline(createReadStream(data), hash);
      const actual = `${digest.algorithm}:${hash.digest('hex')}`;
      if (actual !== digest.text) {
        await rm(this.dir(id), { recursive: true, force: true });
        throw new RegistryError('DIGEST_INVALID', `the uploaded content has digest ${actual}, not ${digest.text}: nothing was stored, upload the blob again`, { digest: digest.text, actual });
      }
      await this.storage.commitBlob(name, digest, data);
      await rm(this.dir(id), { recursive: true, force: true });
    });
  }

  /** Remove sessions untouched for `maxAgeMs` (clients that gave up without DELETE). */
  async purgeStale(maxAgeMs: number, now = Date.now()): Promise<void> {
    for (const id of await readdir(this.storage.uploadsDir)) {
      const touched = await stat(path.join(this.dir(id), 'data')).then((s) => s.mtimeMs, () => 0);
      if (now - touched > maxAgeMs) await rm(this.dir(id), { recursive: true, force: true });
    }
  }

  /** Cancel a session. */
  cancel(name: string, id: string): Promise<void> {
    return this.locked(id, async () => {
      await this.offset(name, id);
      await rm(this.dir(id), { recursive: true, force: true });
    });
  }

  // Requests on one session run one at a time: two PATCHes must not both write at the same offset.
  private async locked<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(id) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.locks.set(id, tail);
    try { return await run; } finally { if (this.locks.get(id) === tail) this.locks.delete(id); }
  }
}

/** The Range header of an upload holding `size` bytes (`0-0` when empty, as Docker's registry answers). */
export const rangeHeader = (size: number): string => `0-${Math.max(0, size - 1)}`;
