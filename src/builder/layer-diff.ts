/**
 * Turns an overlay upper dir into an OCI layer: a gzipped tar whose whiteouts are in the OCI form
 * (`.wh.NAME` for a 0/0 char device, `.wh..wh..opq` for a dir with trusted.overlay.opaque=y).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGzip } from 'node:zlib';
import { TarWriter, type TarEntry } from './tar-writer.js';

const run = promisify(execFile);

/** A layer blob written to disk. */
export interface LayerFile {
  /** sha256 of the gzipped blob. */
  digest: string;
  /** sha256 of the uncompressed tar. */
  diffId: string;
  size: number;
  unpackedSize: number;
}

/** Directories (relative, '/'-separated) that carry trusted.overlay.opaque=y. */
export async function opaqueDirs(root: string): Promise<Set<string>> {
  const out = new Set<string>();
  let text = '';
  try {
    text = (await run('getfattr', ['-R', '-P', '--absolute-names', '-n', 'trusted.overlay.opaque', root], { maxBuffer: 64 << 20 })).stdout;
  } catch (e) {
    // getfattr exits 1 when some files lack the attribute; its stdout still lists those that have it.
    text = (e as { stdout?: string }).stdout ?? '';
  }
  let file: string | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('# file: ')) file = line.slice(8);
    else if (file !== undefined && /^trusted\.overlay\.opaque="y"/.test(line)) {
      const rel = file === root ? '' : file.slice(root.length + 1);
      out.add(rel.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8))));
    }
  }
  return out;
}

/** Writes the layer tar of dir (an upper dir) into blobPath, gzipped; returns its digests. */
export async function writeLayer(dir: string, blobPath: string): Promise<LayerFile> {
  const opaque = await opaqueDirs(dir);
  const tarStream = new PassThrough();
  const diffHash = createHash('sha256');
  const blobHash = createHash('sha256');
  let unpackedSize = 0;
  let size = 0;
  const countTar = new Transform({ transform(c: Buffer, _e, cb) { diffHash.update(c); unpackedSize += c.length; cb(null, c); } });
  const countBlob = new Transform({ transform(c: Buffer, _e, cb) { blobHash.update(c); size += c.length; cb(null, c); } });
  const done = pipeline(tarStream, countTar, createGzip(), countBlob, createWriteStream(blobPath));
  const tar = new TarWriter(tarStream);
  try {
    await walk(tar, dir, '', opaque);
    await tar.finish();
  } catch (e) {
    tarStream.destroy(e as Error);
    await done.catch(() => undefined);
    throw e;
  }
  await done;
  return { digest: `sha256:${blobHash.digest('hex')}`, diffId: `sha256:${diffHash.digest('hex')}`, size, unpackedSize };
}

async function walk(tar: TarWriter, root: string, rel: string, opaque: Set<string>): Promise<void> {
  const names = (await readdir(rel === '' ? root : join(root, rel))).sort();
  for (const name of names) {
    const path = rel === '' ? name : `${rel}/${name}`;
    const full = join(root, path);
    const st = await lstat(full);
    const base = { name: path, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, size: 0, mtime: Math.floor(st.mtimeMs / 1000) };
    if (st.isCharacterDevice() && st.rdev === 0) {
      // overlayfs marks a deleted path with a 0/0 char device; OCI with an empty .wh. file.
      await tar.add({ ...base, name: rel === '' ? `.wh.${name}` : `${rel}/.wh.${name}`, type: 'file', mode: 0o644, uid: 0, gid: 0 });
    } else if (st.isDirectory()) {
      await tar.add({ ...base, type: 'dir' });
      if (opaque.has(path)) await tar.add({ ...base, name: `${path}/.wh..wh..opq`, type: 'file', mode: 0o644, uid: 0, gid: 0 });
      await walk(tar, root, path, opaque);
    } else if (st.isSymbolicLink()) {
      await tar.add({ ...base, type: 'symlink', linkname: await readlink(full) });
    } else if (st.isFile()) {
      await tar.add({ ...base, type: 'file', size: st.size }, createReadStream(full));
    } else if (st.isCharacterDevice() || st.isBlockDevice()) {
      const entry: TarEntry = { ...base, type: st.isCharacterDevice() ? 'char' : 'block', devmajor: major(st.rdev), devminor: minor(st.rdev) };
      await tar.add(entry);
    } else if (st.isFIFO()) {
      await tar.add({ ...base, type: 'fifo' });
    }
    // Sockets have no tar form and are left out, as Docker does.
  }
}

function major(dev: number): number {
  return ((dev >> 8) & 0xfff) | ((Math.floor(dev / 2 ** 32) & 0xfffff000) >>> 0);
}

function minor(dev: number): number {
  return (dev & 0xff) | ((dev >> 12) & 0xfff00);
}
