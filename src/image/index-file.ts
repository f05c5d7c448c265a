import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import type { LayerBlob } from './formats.js';
import type { ImageRecord } from './types.js';

/** An image as persisted: the public record plus the blobs it holds on to. */
export interface StoredImage extends ImageRecord {
  /** Layer blobs, bottom-most first (same order as diffIds). */
  layers: LayerBlob[];
}

interface IndexDoc {
  version: 1;
  images: StoredImage[];
}

/** The images.json file: read once, rewritten whole and atomically (temp file + fsync + rename + dir fsync). */
export class IndexFile {
  constructor(private readonly path: string) {}

  /** Loads the images; a missing file is an empty store. */
  async load(): Promise<StoredImage[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new Error(`image index ${this.path} is not valid JSON (${(e as Error).message}); restore it or remove the store directory and import the images again`);
    }
    const d = doc as Partial<IndexDoc>;
    if (d.version !== 1 || !Array.isArray(d.images)) throw new Error(`image index ${this.path} has an unknown format (version ${String(d.version)})`);
    return d.images;
  }

  /** Replaces the file's content; callers serialise calls (see Mutex). */
  async save(images: StoredImage[]): Promise<void> {
    const doc: IndexDoc = { version: 1, images };
    const tmp = join(dirname(this.path), `.${basename(this.path)}.${randomBytes(6).toString('hex')}`);
    try {
      const fh = await open(tmp, 'w', 0o644);
      try {
        await fh.writeFile(JSON.stringify(doc, null, 1));
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, this.path);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    const dir = await open(dirname(this.path), 'r');
    try { await dir.sync(); } finally { await dir.close(); }
  }
}
