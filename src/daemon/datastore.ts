/**
 * Opens the server's store as --datastore-endpoint says: etcd, or SQLite in DATA_DIR/state.db. With
 * --cluster-reset the SQLite file is first replaced by the snapshot; an etcd cluster is restored with
 * etcd's own tool (its members' data dirs are not ours), so we refuse with the command to run.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { openEtcdStore } from '../store/etcd/etcd-store.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { restoreSqliteSnapshot } from '../store/snapshot/sqlite-restore.js';
import type { Snapshottable } from '../store/snapshot/snapshots.js';
import type { StateStore } from '../store/types.js';
import type { DatastoreConfig } from './datastore-flags.js';

/** The store a server runs on: any backend that counts its commits and can snapshot itself. */
export type ServerStore = StateStore & Snapshottable & { commitStats(): { batches: number; writes: number } };

/** The SQLite store's file in a data dir. */
export const sqlitePath = (dataDir: string): string => path.join(dataDir, 'state.db');

/** Opens the configured store (after a --cluster-reset restore); logs what it did to stderr. */
export async function openServerStore(dataDir: string, ds: DatastoreConfig | undefined): Promise<ServerStore> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (ds?.etcd) {
    if (ds.resetFrom !== undefined) {
      throw new Error(`--cluster-reset with --datastore-endpoint: an external etcd is restored by etcd's tool, on each member: ` +
        `etcdctl snapshot restore ${ds.resetFrom} --data-dir NEW_DIR, then start the members on NEW_DIR and lanternd server without --cluster-reset`);
    }
    const { endpoints, cafile, certfile, keyfile } = ds.etcd;
    const read = async (f: string | undefined, flag: string): Promise<Buffer | undefined> => {
      if (f === undefined) return undefined;
      return readFile(f).catch((err: NodeJS.ErrnoException) => { throw new Error(`${flag} ${f}: ${err.code ?? err.message}`); });
    };
    const tls = { ca: await read(cafile, '--datastore-cafile'), cert: await read(certfile, '--datastore-certfile'), key: await read(keyfile, '--datastore-keyfile') };
    return openEtcdStore({ endpoints, tls });
  }
  const file = sqlitePath(dataDir);
  if (ds?.resetFrom !== undefined) {
    const kept = await restoreSqliteSnapshot(ds.resetFrom, file);
    process.stderr.write(`lanternd: --cluster-reset: the store is now snapshot ${ds.resetFrom}` +
      `${kept ? `; the previous one is kept as ${kept}` : ''}. Start again without --cluster-reset.\n`);
  }
  return openSqliteStore(file);
}
