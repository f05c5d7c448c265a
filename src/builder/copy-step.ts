/**
 * COPY and ADD: find the sources (with wildcards) in the context or another stage's rootfs, hash
 * them for the cache, and copy them into the step rootfs with Docker's destination rules.
 */
import { spawn } from 'node:child_process';
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, copyFile, lchown, lstat, mkdir, open, readdir, readlink, rm, stat, symlink } from 'node:fs/promises';
import { basename, join, posix } from 'node:path';
import { globToRegex } from './dockerignore.js';
import { scopedPath } from './rootfs-paths.js';

/** One matched source: its path inside the source root. */
export interface Source { rel: string; full: string }

/** Expands COPY sources against root; throws Docker's "not found" for a source that matches nothing. */
export async function findSources(root: string, patterns: string[], keyword: string): Promise<Source[]> {
  const out: Source[] = [];
  for (const pattern of patterns) {
    if (/^[a-z]+:\/\//i.test(pattern)) throw new Error(`${keyword} ${pattern}: URLs need the network, which lcctl build does not give builds; download the file into the build context and COPY it`);
    const rel = posix.normalize(`/${pattern}`).slice(1);
    const found = /[*?[]/.test(rel) ? await glob(root, rel) : [rel];
    const existing: Source[] = [];
    for (const r of found) {
      const full = r === '' ? root : await scopedPath(root, r);
      if (await lstat(full).catch(() => undefined)) existing.push({ rel: r, full });
    }
    if (existing.length === 0) throw new Error(`${keyword} failed: file not found in build context or excluded by .dockerignore: stat ${pattern}: file does not exist`);
    out.push(...existing);
  }
  return out;
}

async function glob(root: string, pattern: string): Promise<string[]> {
  let paths = [''];
  for (const seg of pattern.split('/')) {
    const re = new RegExp(`^${globToRegex(seg)}$`);
    const next: string[] = [];
    for (const p of paths) {
      const names = await readdir(p === '' ? root : join(root, p)).catch(() => [] as string[]);
      for (const n of names.sort()) if (re.test(n)) next.push(p === '' ? n : `${p}/${n}`);
    }
    paths = next;
  }
  return paths;
}

/** sha256 over the sources' names, types, modes, sizes, link targets and contents (not times). */
export async function hashSources(sources: Source[]): Promise<string> {
  const h = createHash('sha256');
  for (const s of sources) {
    h.update(`source ${s.rel}\n`);
    await hashTree(h, s.full, '');
  }
  return h.digest('hex');
}

async function hashTree(h: Hash, full: string, rel: string): Promise<void> {
  const st = await lstat(full);
  h.update(`${rel}\u0000${st.mode.toString(8)}\u0000${st.isFile() ? st.size : 0}\u0000`);
  if (st.isSymbolicLink()) h.update(`-> ${await readlink(full)}\u0000`);
  else if (st.isFile()) {
    for await (const c of createReadStream(full) as AsyncIterable<Buffer>) h.update(c);
  } else if (st.isDirectory()) {
    for (const n of (await readdir(full)).sort()) await hashTree(h, join(full, n), `${rel}/${n}`);
  }
}

/** How to copy: ownership (default 0:0) and, for ADD, whether local tar archives are unpacked. */
export interface CopyOptions { owner: { uid: number; gid: number }; mode?: number; extract: boolean }

/** Copies sources to dest (absolute, inside rootfs) as Docker does. */
export async function copySources(rootfs: string, sources: Source[], dest: string, opts: CopyOptions): Promise<void> {
  let destIsDir = dest.endsWith('/') || sources.length > 1;
  const destPath = await scopedPath(rootfs, dest);
  if (!destIsDir) destIsDir = (await stat(destPath).catch(() => undefined))?.isDirectory() === true;
  for (const s of sources) {
    const st = await lstat(s.full);
    if (st.isDirectory()) {
      await mkdirp(rootfs, dest, opts);
      await copyTree(s.full, destPath, opts, true);
    } else if (opts.extract && st.isFile() && await isArchive(s.full)) {
      await mkdirp(rootfs, dest, opts);
      await untar(s.full, destPath);
    } else {
      const target = destIsDir ? join(destPath, basename(s.rel)) : destPath;
      await mkdirp(rootfs, destIsDir ? dest : posix.dirname(dest), opts);
      await copyTree(s.full, target, opts, false);
    }
  }
}

/** mkdir -p inside the rootfs; new directories get the copy's owner. */
async function mkdirp(rootfs: string, dir: string, opts: CopyOptions): Promise<void> {
  const parts = dir.split('/').filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const p = await scopedPath(rootfs, parts.slice(0, i).join('/'));
    if (await lstat(p).catch(() => undefined)) continue;
    await mkdir(p, { mode: 0o755 });
    await lchown(p, opts.owner.uid, opts.owner.gid);
  }
}

async function copyTree(src: string, dst: string, opts: CopyOptions, contentsOnly: boolean): Promise<void> {
  const st = await lstat(src);
  if (st.isDirectory()) {
    if (!contentsOnly) {
      const existing = await lstat(dst).catch(() => undefined);
      if (existing && !existing.isDirectory()) await rm(dst, { force: true });
      if (!existing?.isDirectory()) await mkdir(dst, { mode: st.mode & 0o7777 });
      await chmod(dst, opts.mode ?? st.mode & 0o7777);
      await lchown(dst, opts.owner.uid, opts.owner.gid);
    }
    for (const n of await readdir(src)) await copyTree(join(src, n), join(dst, n), opts, false);
    return;
  }
  const existing = await lstat(dst).catch(() => undefined);
  if (existing?.isDirectory()) throw new Error(`cannot copy ${basename(src)} over the directory ${dst.split('/rootfs').pop() ?? dst}`);
  if (existing) await rm(dst, { force: true });
  if (st.isSymbolicLink()) {
    await symlink(await readlink(src), dst);
  } else {
    await copyFile(src, dst);
    await chmod(dst, opts.mode ?? st.mode & 0o7777);
  }
  await lchown(dst, opts.owner.uid, opts.owner.gid);
}

async function isArchive(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const b = Buffer.alloc(512);
    const { bytesRead } = await fh.read(b, 0, 512, 0);
    if (bytesRead >= 3 && b[0] === 0x1f && b[1] === 0x8b) return true;
    if (bytesRead >= 3 && b.subarray(0, 3).toString('latin1') === 'BZh') return true;
    if (bytesRead >= 6 && b.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return true;
    return bytesRead >= 262 && b.subarray(257, 262).toString('latin1') === 'ustar';
  } finally {
    await fh.close();
  }
}

function untar(file: string, dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('tar', ['-x', '-f', file, '-C', dir, '-p', '--same-owner', '--numeric-owner', '--no-overwrite-dir'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => { err += b.toString(); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ADD ${basename(file)}: cannot unpack the archive: ${err.trim()}`))));
  });
}
