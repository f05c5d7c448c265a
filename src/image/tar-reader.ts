import { open } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { posix } from 'node:path';
import { Readable } from 'node:stream';

/** One member of a tar archive, located by byte offset so its data can be streamed later. */
export interface TarEntry {
  name: string;
  /** '0' file, '1' hard link, '2' symlink, '5' directory, ... */
  type: string;
  linkname: string;
  size: number;
  /** Byte offset of the entry's data in the archive file. */
  offset: number;
}

const BLOCK = 512;

/** Scans a tar file (ustar, PAX extended headers, GNU long names) and lists its members. */
export async function readTarIndex(file: string): Promise<TarEntry[]> {
  const fh = await open(file, 'r');
  try {
    const fileSize = (await fh.stat()).size;
    const entries: TarEntry[] = [];
    const header = Buffer.alloc(BLOCK);
    let pos = 0;
    let pax: Record<string, string> = {};
    let longName: string | undefined;
    let longLink: string | undefined;
    while (pos + BLOCK <= fileSize) {
      await readFully(fh, header, pos);
      if (header.every((b) => b === 0)) return entries;
      if (!checksumOk(header)) throw new Error(`${file} is not a tar archive or is corrupt: bad header checksum at byte ${pos}`);
      const type = String.fromCharCode(header[156] ?? 0x30).replace('\0', '0');
      const isMeta = type === 'x' || type === 'L' || type === 'K' || type === 'g';
      const size = !isMeta && pax.size !== undefined ? Number(pax.size) : parseNumber(header.subarray(124, 136));
      const offset = pos + BLOCK;
      const rawName = headerName(header);
      if (offset + size > fileSize) {
        throw new Error(`${file} is truncated: member "${longName ?? pax.path ?? rawName}" needs ${size} bytes at byte ${offset} but the file ends at ${fileSize}; copy or export the archive again`);
      }
      pos = offset + Math.ceil(size / BLOCK) * BLOCK;
      if (isMeta && type !== 'g') {
        const data = Buffer.alloc(size);
        await readFully(fh, data, offset);
        if (type === 'x') pax = { ...pax, ...parsePax(data) };
        else if (type === 'L') longName = cString(data);
        else longLink = cString(data);
        continue;
      }
      if (type === 'g') continue; // global PAX defaults: nothing in them matters for image archives
      entries.push({
        name: cleanName(longName ?? pax.path ?? rawName),
        type,
        linkname: longLink ?? pax.linkpath ?? cString(header.subarray(157, 257)),
        size,
        offset,
      });
      pax = {};
      longName = undefined;
      longLink = undefined;
    }
    if (pos < fileSize) throw new Error(`${file} is truncated: the last tar header is incomplete; copy or export the archive again`);
    return entries;
  } finally {
    await fh.close();
  }
}

/** Normalises a member name: no leading "./" or "/", no trailing slash. */
export function cleanName(name: string): string {
  const n = posix.normalize(`/${name}`).slice(1);
  return n.endsWith('/') ? n.slice(0, -1) : n;
}

/** Streams the data of one member. */
export function entryStream(file: string, entry: TarEntry): Readable {
  if (entry.size === 0) return Readable.from([]);
  return createReadStream(file, { start: entry.offset, end: entry.offset + entry.size - 1 });
}

async function readFully(fh: import('node:fs/promises').FileHandle, buf: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const { bytesRead } = await fh.read(buf, done, buf.length - done, position + done);
    if (bytesRead === 0) throw new Error(`unexpected end of file at byte ${position + done}`);
    done += bytesRead;
  }
}

function headerName(h: Buffer): string {
  const name = cString(h.subarray(0, 100));
  // Only POSIX ustar has a prefix field; old GNU headers keep timestamps there.
  const magic = h.subarray(257, 263).toString('latin1');
  if (magic === 'ustar\0') {
    const prefix = cString(h.subarray(345, 500));
    if (prefix) return `${prefix}/${name}`;
  }
  return name;
}

function cString(b: Buffer): string {
  const end = b.indexOf(0);
  return b.subarray(0, end === -1 ? b.length : end).toString('utf8');
}

/** Octal, or GNU base-256 when the top bit of the first byte is set (sizes >= 8 GiB). */
function parseNumber(b: Buffer): number {
  const first = b[0] ?? 0;
  if (first & 0x80) {
    let v = first & 0x7f;
    for (let i = 1; i < b.length; i++) v = v * 256 + (b[i] ?? 0);
    return v;
  }
  const text = b.toString('latin1').replace(/[\0 ]+$/g, '').trim();
  return text === '' ? 0 : parseInt(text, 8);
}

function checksumOk(h: Buffer): boolean {
  const stored = parseNumber(h.subarray(148, 156));
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (h[i] ?? 0);
  return sum === stored;
}

/** PAX records are "<len> <key>=<value>\n", len counting the whole record in bytes. */
function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space === -1) break;
    const len = parseInt(data.subarray(pos, space).toString('latin1'), 10);
    if (!Number.isFinite(len) || len <= 0) break;
    const record = data.subarray(space + 1, pos + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    pos += len;
  }
  return out;
}
