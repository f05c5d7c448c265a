import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { posix, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { archiveError } from './errors.js';
import { cleanName, entryStream, readTarIndex, type TarEntry } from './tar-reader.js';

/** An image archive on disk (docker save or OCI layout tar), read member by member. */
export class TarArchive {
  private constructor(readonly file: string, readonly label: string, private readonly members: Map<string, TarEntry>) {}

  /** Indexes `file`; a gzip-compressed archive is first expanded into `workDir`. */
  static async open(file: string, workDir: string): Promise<TarArchive> {
    let tarFile = file;
    if (await hasMagic(file, [0x1f, 0x8b])) {
      tarFile = join(workDir, 'archive.tar');
      try {
        await pipeline(createReadStream(file), createGunzip(), createWriteStream(tarFile));
      } catch (e) {
        throw archiveError(`${file} is a damaged gzip file (${(e as Error).message}); copy or export the archive again`);
      }
    }
    let entries: TarEntry[];
    try {
      entries = await readTarIndex(tarFile);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'ENOENT') throw archiveError(`image archive ${file} does not exist`);
      throw archiveError(err.message.replace(tarFile, file));
    }
    const members = new Map<string, TarEntry>();
    for (const e of entries) members.set(e.name, e); // later members win, as with tar -x
    return new TarArchive(tarFile, file, members);
  }

  /** Whether a member exists (after following links). */
  has(name: string): boolean {
    return this.find(name) !== undefined;
  }

  /** The regular-file member behind `name`, following symlinks and hard links (old docker save links shared layer.tar files). */
  member(name: string, what: string): TarEntry {
    const entry = this.find(name);
    if (!entry) throw archiveError(`${this.label} has no member "${name}" (${what}); the archive is incomplete`);
    return entry;
  }

  /** Streams a member's bytes. */
  stream(entry: TarEntry): Readable {
    return entryStream(this.file, entry);
  }

  /** Reads a small member (JSON) into memory. */
  async read(name: string, what: string, maxBytes = 16 << 20): Promise<Buffer> {
    const entry = this.member(name, what);
    if (entry.size > maxBytes) throw archiveError(`${what} ("${name}") is ${entry.size} bytes, more than the ${maxBytes} allowed for metadata`);
    const chunks: Buffer[] = [];
    for await (const c of this.stream(entry)) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }

  private find(name: string): TarEntry | undefined {
    let current = cleanName(name);
    for (let hops = 0; hops < 16; hops++) {
      const e = this.members.get(current);
      if (!e) return undefined;
      if (e.type === '2') {
        const target = e.linkname.startsWith('/') ? e.linkname : posix.join(posix.dirname(current), e.linkname);
        current = cleanName(target);
      } else if (e.type === '1') {
        current = cleanName(e.linkname);
      } else {
        return e.type === '0' || e.type === '7' ? e : undefined;
      }
    }
    throw archiveError(`${this.label}: member "${name}" is part of a symlink loop`);
  }
}

/** Whether a file starts with the given bytes (compression is detected by magic, never by name). */
export async function hasMagic(file: string, magic: number[]): Promise<boolean> {
  const fh = await open(file, 'r').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') throw archiveError(`image archive ${file} does not exist`);
    throw e;
  });
  try {
    const buf = Buffer.alloc(magic.length);
    const { bytesRead } = await fh.read(buf, 0, magic.length, 0);
    return bytesRead === magic.length && magic.every((b, i) => buf[i] === b);
  } finally {
    await fh.close();
  }
}
