import { createReadStream } from 'node:fs';
import { readFile, readdir, rm, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { StoreCore } from './core.js';
import { isDigest } from './digest.js';
import { blobsOf } from './gc.js';
import { adoptBytes, adoptFile } from './pulled.js';
import type { BlobExpect, BlobInfo, ContentStore } from './types.js';

/** Blobs under blobs/sha256/<hex>, verified on the way in (pulled.ts), pinned while work holds them. */
export class LocalContentStore implements ContentStore {
  constructor(private readonly core: StoreCore) {}

  async info(digest: string): Promise<BlobInfo | undefined> {
    await this.core.ready();
    return stat(this.core.layout.blob(digest)).then((s) => (s.isFile() ? { digest, size: s.size } : undefined), () => undefined);
  }

  async read(digest: string): Promise<Buffer> {
    await this.core.ready();
    return readFile(this.core.layout.blob(digest));
  }

  reader(digest: string, range?: { start: number; end?: number }): Readable {
    return createReadStream(this.core.layout.blob(digest), range ? { start: range.start, end: range.end } : {});
  }

  ingestPath(digest: string): string { return this.core.layout.partial(digest); }

  async commitFile(file: string, expect: BlobExpect, what: string): Promise<void> {
    await this.core.ready();
    await adoptFile(this.core.layout, file, expect, what);
  }

  async commitBytes(bytes: Buffer, expect: Partial<BlobExpect> & { digest: string }, what: string): Promise<void> {
    await this.core.ready();
    await adoptBytes(this.core.layout, bytes, expect, what);
  }

  async delete(digest: string): Promise<boolean> {
    await this.core.ready();
    return this.core.lock.run(async () => {
      if (this.core.pins.has(digest) || this.core.images().some((i) => blobsOf(i).includes(digest))) return false;
      const had = (await this.info(digest)) !== undefined;
      await rm(this.core.layout.blob(digest), { force: true });
      return had;
    });
  }

  async walk(fn: (info: BlobInfo) => void | Promise<void>): Promise<void> {
    await this.core.ready();
    for (const name of await readdir(this.core.layout.blobsDir)) {
      const info = isDigest(`sha256:${name}`) ? await this.info(`sha256:${name}`) : undefined;
      if (info) await fn(info);
    }
  }

  pin(digest: string): void { this.core.pins.add(digest); }

  unpin(digest: string): void { this.core.pins.release(digest); }
}
