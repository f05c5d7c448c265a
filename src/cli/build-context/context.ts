/**
 * The build context lcctl build sends: every file under the context dir that .dockerignore does not
 * exclude (the Dockerfile and .dockerignore always go), as a tar streamed from disk.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { DockerIgnore } from '../../builder/dockerignore.js';
import { TarWriter, padding, tarHeaders, type TarEntry } from '../../builder/tar-writer.js';

/** A context ready to send. */
export interface BuildContext {
  /** Dockerfile path inside the context tar. */
  dockerfile: string;
  /** Bytes of the tar. */
  size: number;
  /** Starts writing the tar; call once. */
  open(): Readable;
}

interface Item { entry: TarEntry; full?: string; data?: Buffer }

/** Walks contextDir (honouring .dockerignore) and places the Dockerfile; dockerfilePath is a host path. */
export async function prepareContext(contextDir: string, dockerfilePath: string): Promise<BuildContext> {
  const ignoreText = await readFile(path.join(contextDir, '.dockerignore'), 'utf8').catch(() => '');
  const ignore = DockerIgnore.parse(ignoreText);
  const dfRel = path.relative(contextDir, path.resolve(dockerfilePath)).split(path.sep).join('/');
  const inside = !dfRel.startsWith('../') && !path.isAbsolute(dfRel);
  const always = new Set(['.dockerignore', ...(inside ? [dfRel] : [])]);
  const items: Item[] = [];
  const walk = async (rel: string): Promise<void> => {
    const dir = rel === '' ? contextDir : path.join(contextDir, rel);
    for (const name of (await readdir(dir)).sort()) {
      const r = rel === '' ? name : `${rel}/${name}`;
      const full = path.join(contextDir, r);
      const st = await lstat(full);
      const excluded = ignore.excludes(r) && !always.has(r);
      // An excluded directory is still walked when an exception (!pattern) may bring files back.
      if (excluded && !(st.isDirectory() && ignore.mayReinclude())) continue;
      const base = { name: r, mode: st.mode & 0o7777, uid: 0, gid: 0, size: 0, mtime: Math.floor(st.mtimeMs / 1000) };
      if (st.isDirectory()) {
        if (!excluded) items.push({ entry: { ...base, type: 'dir' } });
        await walk(r);
      } else if (st.isSymbolicLink()) items.push({ entry: { ...base, type: 'symlink', linkname: await readlink(full) } });
      else if (st.isFile()) items.push({ entry: { ...base, type: 'file', size: st.size }, full });
    }
  };
  await walk('');
  let dockerfile = dfRel;
  if (!inside) {
    const data = await readFile(dockerfilePath);
    dockerfile = `.lantern-dockerfile.${randomBytes(6).toString('hex')}`;
    items.push({ entry: { name: dockerfile, type: 'file', mode: 0o644, uid: 0, gid: 0, size: data.length, mtime: Math.floor(Date.now() / 1000) }, data });
  }
  const size = items.reduce((n, i) => n + tarHeaders(i.entry).length + i.entry.size + padding(i.entry.size).length, 1024);
  return {
    dockerfile,
    size,
    open(): Readable {
      const out = new PassThrough();
      const tar = new TarWriter(out);
      void (async () => {
        for (const i of items) await tar.add(i.entry, i.data ?? (i.full ? createReadStream(i.full) : undefined));
        await tar.finish();
      })().catch((e: Error) => out.destroy(e));
      return out;
    },
  };
}

/** Docker's units.HumanSize: 4 significant digits, decimal units ("2.048kB"). */
export function humanSize(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  return `${Number(v.toPrecision(4))}${units[i]}`;
}
