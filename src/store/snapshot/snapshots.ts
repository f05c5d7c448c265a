/**
 * Snapshot files: one whole copy of the store, written by the store itself (SQLite's online backup,
 * etcd's maintenance snapshot) to a temp name, fsynced, then renamed, so a listed snapshot is always
 * complete. They hold every Secret: files 0600 in a 0700 directory.
 */
import { mkdir, readdir, rename, rm, stat, open, chmod } from 'node:fs/promises';
import path from 'node:path';

/** A store that can write a consistent copy of itself. */
export interface Snapshottable {
  /** 'sqlite' or 'etcd': the file's extension, and which restore applies. */
  readonly snapshotKind: 'sqlite' | 'etcd';
  /** Writes a point-in-time copy of the whole store to file (which must not exist). */
  snapshotTo(file: string): Promise<void>;
}

/** One snapshot file. */
export interface SnapshotInfo { name: string; path: string; size: number; created: Date; kind: 'sqlite' | 'etcd' }

const namePattern = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Writes a snapshot named NAME-YYYYMMDDTHHMMSSmmmZ.KIND into dir; returns it. */
export async function saveSnapshot(store: Snapshottable, dir: string, name = 'on-demand', now = new Date()): Promise<SnapshotInfo> {
  if (!namePattern.test(name)) throw new Error(`snapshot name "${name}": use lower-case letters, digits and "-" (at most 63)`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  const file = path.join(dir, `${name}-${stamp}.${store.snapshotKind}`);
  const tmp = `${file}.part`;
  await rm(tmp, { force: true });
  try {
    await store.snapshotTo(tmp);
    await chmod(tmp, 0o600);
    const fh = await open(tmp, 'r');
    try { await fh.sync(); } finally { await fh.close(); }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  const info = await describe(file);
  if (!info) throw new Error(`snapshot ${file} vanished right after it was written`);
  return info;
}

async function describe(file: string): Promise<SnapshotInfo | undefined> {
  const m = /^(.*)-(\d{8}T\d{9}Z)\.(sqlite|etcd)$/.exec(path.basename(file));
  if (!m) return undefined;
  const st = await stat(file).catch(() => undefined);
  if (!st?.isFile()) return undefined;
  const t = m[2] ?? '';
  const created = new Date(`${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(9, 11)}:${t.slice(11, 13)}:${t.slice(13, 15)}.${t.slice(15, 18)}Z`);
  return { name: path.basename(file), path: file, size: st.size, created, kind: m[3] === 'etcd' ? 'etcd' : 'sqlite' };
}

/** The snapshots in dir, oldest first (an absent dir has none). */
export async function listSnapshots(dir: string): Promise<SnapshotInfo[]> {
  const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => { if (err.code === 'ENOENT') return []; throw err; });
  const infos = await Promise.all(names.map((n) => describe(path.join(dir, n))));
  return infos.filter((i): i is SnapshotInfo => i !== undefined).sort((a, b) => a.created.getTime() - b.created.getTime() || a.name.localeCompare(b.name));
}

/** Deletes all but the newest keep snapshots (of one name prefix when given); returns those deleted. */
export async function pruneSnapshots(dir: string, keep: number, name?: string): Promise<SnapshotInfo[]> {
  if (!Number.isInteger(keep) || keep < 0) throw new Error(`prune: keep must be a whole number >= 0, got ${keep}`);
  const all = (await listSnapshots(dir)).filter((s) => name === undefined || s.name.startsWith(`${name}-`));
  const gone = all.slice(0, Math.max(0, all.length - keep));
  for (const s of gone) await rm(s.path, { force: true });
  return gone;
}
