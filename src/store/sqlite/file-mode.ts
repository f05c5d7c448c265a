import { chmodSync, closeSync, fchmodSync, openSync } from 'node:fs';

/** Files next to the database that hold its data too. */
const sidecars = ['-wal', '-shm', '-journal'];

/**
 * Make the store file owner-only (0600) before SQLite opens it, whatever the umask or the data
 * dir's mode: it holds every Secret and credential hash. SQLite would create it 0644 & ~umask, and
 * creates its WAL with the database file's mode, so fixing the file first fixes those too.
 */
export function makeStoreFilePrivate(path: string): void {
  if (path === ':memory:' || path === '') return;
  let fd: number;
  try { fd = openSync(path, 'a', 0o600); } catch { return; } // openDatabase reports why it cannot open it
  try { fchmodSync(fd, 0o600); } finally { closeSync(fd); }
  makeSidecarsPrivate(path);
}

/** The WAL, shared-memory and journal files, where they exist, owner-only too. */
export function makeSidecarsPrivate(path: string): void {
  if (path === ':memory:' || path === '') return;
  for (const suffix of sidecars) {
    try { chmodSync(path + suffix, 0o600); } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
}
