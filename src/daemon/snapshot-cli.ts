/** `lanternd snapshot save|ls|restore|prune`: k3s' etcd-snapshot, for both of our stores. */
import path from 'node:path';
import { FlagError, parseFlags } from './flags.js';
import { datastoreFlags, datastoreFromFlags } from './datastore-flags.js';
import { openServerStore, sqlitePath } from './datastore.js';
import { isServing, requestSnapshot, snapshotSocketPath } from './snapshot-socket.js';
import { listSnapshots, pruneSnapshots, saveSnapshot, type SnapshotInfo } from '../store/snapshot/snapshots.js';
import { restoreSqliteSnapshot } from '../store/snapshot/sqlite-restore.js';

export const snapshotUsage = `Usage: lanternd snapshot save|ls|restore|prune [flags]

Snapshots of the server's store: a SQLite database copied with SQLite's online backup, or etcd's own
snapshot (the file etcdctl snapshot save writes). While the server runs, save goes through its
socket DATA_DIR/snapshot.sock (root only); otherwise the store is opened here.

Commands:
  save [--name N]     write NAME-TIMESTAMP.sqlite|etcd (default name on-demand)
  ls                  list the snapshots
  restore FILE        SQLite: replace DATA_DIR/state.db with FILE (the server must be stopped; the old
                      database is kept beside it). Same as lanternd server --cluster-reset
                      --cluster-reset-restore-path FILE. etcd: use etcdctl snapshot restore (the
                      embedded etcd: lanternd server --cluster-init --cluster-reset --cluster-reset-restore-path FILE).
  prune --keep N [--name N]  delete all but the newest N snapshots (of that name)

Flags:
  --data-dir DIR      the server's state directory (default /var/lib/lantern)
  --dir DIR           where snapshots are (default DATA_DIR/snapshots)
  --datastore-endpoint URL,... [--datastore-cafile/-certfile/-keyfile]  save from this etcd directly
`;

const table = (rows: SnapshotInfo[]): string =>
  ['NAME\tSIZE\tCREATED', ...rows.map((s) => `${s.name}\t${s.size}\t${s.created.toISOString()}`)].join('\n') + '\n';

/** Runs one snapshot command; output on stdout, errors thrown (main prints them). */
export async function runSnapshot(args: string[]): Promise<void> {
  const [verb, ...rest] = args;
  if (verb === undefined || verb === 'help' || verb === '--help' || verb === '-h') { process.stdout.write(snapshotUsage); return; }
  const file = rest[0] !== undefined && !rest[0].startsWith('--') ? rest[0] : undefined;
  const flags = parseFlags(file === undefined ? rest : rest.slice(1), {
    'data-dir': 'string', dir: 'string', name: 'string', keep: 'string', help: 'boolean',
    'datastore-endpoint': datastoreFlags['datastore-endpoint'], 'datastore-cafile': 'string', 'datastore-certfile': 'string', 'datastore-keyfile': 'string',
  });
  const dataDir = path.resolve(String(flags['data-dir'] ?? '/var/lib/lantern'));
  const ds = datastoreFromFlags(flags, dataDir);
  const dir = typeof flags.dir === 'string' ? path.resolve(flags.dir) : ds.snapshotDir;
  const name = typeof flags.name === 'string' ? flags.name : undefined;
  if (file !== undefined && verb !== 'restore') throw new FlagError(`snapshot ${verb}: unexpected argument ${JSON.stringify(file)}`);
  switch (verb) {
    case 'save': {
      const viaServer = ds.etcd ? undefined : await requestSnapshot(snapshotSocketPath(dataDir), name, dir);
      if (viaServer && !viaServer.ok) throw new Error(`snapshot save: ${viaServer.error}`);
      let saved = viaServer?.snapshot;
      if (!saved) {
        const store = await openServerStore(dataDir, ds);
        try { saved = await saveSnapshot(store, dir, name); } finally { await store.close(); }
      }
      process.stdout.write(`${saved.path}\n`);
      return;
    }
    case 'ls': process.stdout.write(table(await listSnapshots(dir))); return;
    case 'prune': {
      const keep = Number(flags.keep);
      if (flags.keep === undefined || !Number.isInteger(keep) || keep < 0) throw new FlagError('snapshot prune: --keep N (a whole number >= 0) is required');
      for (const s of await pruneSnapshots(dir, keep, name)) process.stdout.write(`deleted ${s.path}\n`);
      return;
    }
    case 'restore': {
      if (file === undefined) throw new FlagError('snapshot restore: name the snapshot FILE (see lanternd snapshot ls)');
      if (ds.etcd) throw new FlagError(`snapshot restore: an etcd snapshot is restored on each member with etcdctl snapshot restore ${file} --data-dir NEW_DIR`);
      if (await isServing(snapshotSocketPath(dataDir))) throw new Error(`snapshot restore: a server is running on ${dataDir}; stop it first (or start it with --cluster-reset --cluster-reset-restore-path ${file})`);
      const resolved = path.isAbsolute(file) || file.includes('/') ? path.resolve(file) : path.join(dir, file);
      const kept = await restoreSqliteSnapshot(resolved, sqlitePath(dataDir));
      process.stdout.write(`restored ${resolved} into ${sqlitePath(dataDir)}${kept ? `; the previous store is kept as ${kept}` : ''}\n`);
      return;
    }
    default: throw new FlagError(`snapshot: unknown command ${JSON.stringify(verb)}: use save, ls, restore or prune\n\n${snapshotUsage}`);
  }
}
