/**
 * Scheduled snapshots (--snapshot-schedule, --snapshot-retention) and the control socket
 * DATA_DIR/snapshot.sock through which `lanternd snapshot save` asks the running server for one
 * (SQLite's file is locked by the server, so only the server can copy it).
 */
import { Cron } from 'croner';
import type { ServerConfig } from '../server-config.js';
import { saveSnapshot } from '../../store/snapshot/snapshots.js';
import { serveSnapshotSocket, snapshotSocketPath } from '../snapshot-socket.js';
import type { Component } from './component.js';
import { key } from './component.js';
import { storeKey } from './keys.js';
import { pruneSnapshots } from '../../store/snapshot/snapshots.js';

/** Prefix of the scheduled snapshots' names (as k3s' etcd-snapshot). */
export const scheduledName = 'scheduled';

/** The snapshot schedule and control socket; nothing to provide but their running. */
export const snapshots: Component<ServerConfig, undefined> = {
  key: key<undefined>('snapshots'),
  requires: [storeKey],
  async start({ get, config }) {
    const store = get(storeKey);
    const dir = config.datastore?.snapshotDir ?? `${config.dataDir}/snapshots`;
    const retention = config.datastore?.snapshotRetention ?? 5;
    const schedule = config.datastore?.snapshotSchedule;
    const cron = schedule === undefined ? undefined : new Cron(schedule, { protect: true }, async () => {
      try {
        const s = await saveSnapshot(store, dir, scheduledName);
        const gone = await pruneSnapshots(dir, retention, scheduledName);
        process.stderr.write(`lanternd: snapshot ${s.path} saved${gone.length ? `; pruned ${gone.map((g) => g.name).join(', ')}` : ''}\n`);
      } catch (err) {
        process.stderr.write(`lanternd: scheduled snapshot failed: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    });
    const sock = await serveSnapshotSocket(snapshotSocketPath(config.dataDir), store, dir);
    return { value: undefined, stop: async () => { cron?.stop(); await sock.close(); } };
  },
};
