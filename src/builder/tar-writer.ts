/**
 * A small tar writer: ustar headers, PAX extended headers for long names and link targets, files,
 * directories, symlinks, devices and fifos. Writes to any Writable, honouring back-pressure.
 */
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';

/** One tar member's metadata. */
export interface TarEntry {
  /** Path inside the archive, '/'-separated, no leading '/'; directories may end in '/'. */
  name: string;
  type: 'file' | 'dir' | 'symlink' | 'char' | 'block' | 'fifo';
  /** Permission bits (and setuid/setgid/sticky). */
  mode: number;
  uid: number;
  gid: number;
  /** Bytes of content (files only). */
  size: number;
  /** Seconds since the epoch. */
  mtime: number;
  linkname?: string;
  devmajor?: number;
  devminor?: number;
}

const TYPEFLAG: Record<TarEntry['type'], string> = { file: '0', symlink: '2', char: '3', block: '4', dir: '5', fifo: '6' };

/** The 512-byte header(s) for an entry: a PAX header first when a field does not fit ustar. */
export function tarHeaders(e: TarEntry): Buffer {
  const name = e.type === 'dir' && !e.name.endsWith('/') ? `${e.name}/` : e.name;
  const pax: Record<string, string> = {};
  const split = splitName(name);
  if (!split) pax.path = name;
  if (e.linkname !== undefined && Buffer.byteLength(e.linkname) > 100) pax.linkpath = e.linkname;
  if (e.size > 0o77777777777) pax.size = String(e.size);
  const main = header({ ...e, name }, split ?? { prefix: '', name: name.slice(0, 100) });
  if (Object.keys(pax).length === 0) return main;
  const body = Buffer.from(Object.entries(pax).map(([k, v]) => paxRecord(k, v)).join(''));
  const paxHeader = header({ name: 'PaxHeader', type: 'file', mode: 0o644, uid: 0, gid: 0, size: body.length, mtime: e.mtime }, { prefix: '', name: `PaxHeaders/${name}`.slice(0, 100) }, 'x');
  return Buffer.concat([paxHeader, body, padding(body.length), main]);
}

/** Zero bytes that pad content of size bytes to a 512-byte block. */
export function padding(size: number): Buffer {
  return Buffer.alloc((512 - (size % 512)) % 512);
}

/** Two zero blocks end an archive. */
export const TAR_END = Buffer.alloc(1024);

function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(rest) + 1;
  while (String(len).length + Buffer.byteLength(rest) !== len) len = String(len).length + Buffer.byteLength(rest);
  return `${len}${rest}`;
}

/** ustar's 155-byte prefix + 100-byte name split, or undefined when the path cannot be split so. */
function splitName(name: string): { prefix: string; name: string } | undefined {
  if (Buffer.byteLength(name) <= 100) return { prefix: '', name };
  for (let i = name.length - 1; i > 0; i--) {
    if (name[i] !== '/') continue;
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100 && rest !== '') return { prefix, name: rest };
  }
  return undefined;
}

function header(e: TarEntry, n: { prefix: string; name: string }, typeflag?: string): Buffer {
  const b = Buffer.alloc(512);
  b.write(n.name, 0, 100, 'utf8');
  octal(b, 100, 8, e.mode & 0o7777);
  octal(b, 108, 8, e.uid);
  octal(b, 116, 8, e.gid);
  octal(b, 124, 12, e.type === 'file' && e.size <= 0o77777777777 ? e.size : 0);
  octal(b, 136, 12, Math.max(0, Math.floor(e.mtime)));
  b.write('        ', 148, 8, 'ascii');
  b.write(typeflag ?? TYPEFLAG[e.type], 156, 1, 'ascii');
  if (e.linkname !== undefined) b.write(e.linkname, 157, 100, 'utf8');
  b.write('ustar\u0000', 257, 6, 'ascii');
  b.write('00', 263, 2, 'ascii');
  octal(b, 329, 8, e.devmajor ?? 0);
  octal(b, 337, 8, e.devminor ?? 0);
  b.write(n.prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const x of b) sum += x;
  b.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'ascii');
  return b;
}

function octal(b: Buffer, off: number, len: number, v: number): void {
  // Numbers too large for the field (huge uids) use the base-256 form GNU tar and Go read.
  if (v >= 8 ** (len - 1)) {
    b[off] = 0x80;
    let x = v;
    for (let i = len - 1; i > 0; i--) { b[off + i] = x % 256; x = Math.floor(x / 256); }
    return;
  }
  b.write(`${v.toString(8).padStart(len - 1, '0')}\u0000`, off, len, 'ascii');
}

/** Streams entries into out; call finish() once to write the end blocks. */
export class TarWriter {
  constructor(private readonly out: Writable) {}

  /** Adds one entry; content (a Buffer or a stream of exactly entry.size bytes) for files. */
  async add(entry: TarEntry, content?: Buffer | Readable): Promise<void> {
    await this.write(tarHeaders(entry));
    if (entry.type !== 'file') return;
    let written = 0;
    if (content instanceof Buffer) {
      await this.write(content);
      written = content.length;
    } else if (content) {
      for await (const chunk of content as AsyncIterable<Buffer>) {
        const take = chunk.subarray(0, Math.max(0, entry.size - written));
        if (take.length > 0) await this.write(take);
        written += take.length;
      }
    }
    // A file that shrank while it was read is padded with zeros so the archive stays readable.
    if (written < entry.size) await this.write(Buffer.alloc(entry.size - written));
    await this.write(padding(entry.size));
  }

  /** Writes the end-of-archive blocks and ends the stream. */
  async finish(): Promise<void> {
    await this.write(TAR_END);
    this.out.end();
  }

  private async write(b: Buffer): Promise<void> {
    if (b.length === 0) return;
    if (!this.out.write(b)) await once(this.out, 'drain');
  }
}
