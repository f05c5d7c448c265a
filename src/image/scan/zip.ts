/** A minimal zip reader for osv.dev's all.zip: stored and deflated members, read from the central directory. */
import { inflateRawSync } from 'node:zlib';

/** One member: its name and its bytes. */
export interface ZipMember { name: string; data: Buffer }

/** Whether bytes start as a zip file does. */
export function isZip(buf: Buffer): boolean {
  return buf.length >= 4 && buf.readUInt32LE(0) === 0x04034b50;
}

/** Every file member of a zip held in memory; throws naming `file` when it is damaged. */
export function readZip(buf: Buffer, file: string): ZipMember[] {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error(`${file}: not a zip file (no end of central directory); download it again`);
  const count = buf.readUInt16LE(eocd + 10);
  let pos = buf.readUInt32LE(eocd + 16);
  const out: ZipMember[] = [];
  for (let n = 0; n < count; n++) {
    if (pos + 46 > buf.length || buf.readUInt32LE(pos) !== 0x02014b50) throw new Error(`${file}: damaged zip central directory at byte ${pos}`);
    const method = buf.readUInt16LE(pos + 10);
    const csize = buf.readUInt32LE(pos + 20);
    const nameLen = buf.readUInt16LE(pos + 28);
    const extraLen = buf.readUInt16LE(pos + 30);
    const commentLen = buf.readUInt16LE(pos + 32);
    const local = buf.readUInt32LE(pos + 42);
    const name = buf.subarray(pos + 46, pos + 46 + nameLen).toString('utf8');
    pos += 46 + nameLen + extraLen + commentLen;
    if (name.endsWith('/')) continue;
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== 0x04034b50) throw new Error(`${file}: member ${name} has no local header`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + csize);
    if (method === 0) out.push({ name, data: Buffer.from(raw) });
    else if (method === 8) {
      try { out.push({ name, data: inflateRawSync(raw) }); } catch (e) { throw new Error(`${file}: member ${name} does not inflate (${(e as Error).message})`); }
    } else throw new Error(`${file}: member ${name} uses compression method ${method}; only stored and deflate are read`);
  }
  return out;
}
