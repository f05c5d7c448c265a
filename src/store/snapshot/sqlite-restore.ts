/**
 * Bringing a SQLite store back from a snapshot: only while no process holds it (the store's lock
 * makes a running server refuse to share it). The old database is kept beside it, not deleted.
 */
import { copyFile, open, rename, rm, stat, chmod } from 'node:fs/promises';

const sqliteMagic = 'SQLite format 3\0';

/** Replaces dbPath with the snapshot file; returns where the previous database was moved. */
export async function restoreSqliteSnapshot(file: string, dbPath: string, now = new Date()): Promise<string | undefined> {
  const fh = await open(file, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new Error(`cannot read snapshot ${file}: ${err.code ?? err.message}; pick one from lanternd snapshot ls`);
  });
  try {
    const head = Buffer.alloc(16);
    await fh.read(head, 0, 16, 0);
    if (head.toString('latin1') !== sqliteMagic) {
      throw new Error(`${file} is not a SQLite snapshot (an etcd one is restored with etcdctl snapshot restore; see src/store/README.md)`);
    }
  } finally { await fh.close(); }
  const tmp = `${dbPath}.restoring`;
  await copyFile(file, tmp);
  await chmod(tmp, 0o600);
  let kept: string | undefined;
  if (await stat(dbPath).catch(() => undefined)) {
    kept = `${dbPath}.before-restore-${now.toISOString().replace(/[-:.]/g, '')}`;
    await rename(dbPath, kept);
  }
  // The old WAL belongs to the old database (it goes with it); replayed onto the snapshot it would corrupt it.
  for (const side of ['-wal', '-shm', '-journal']) {
    if (kept !== undefined) await rename(`${dbPath}${side}`, `${kept}${side}`).catch(() => undefined);
    await rm(`${dbPath}${side}`, { force: true });
  }
  await rename(tmp, dbPath);
  return kept;
}
