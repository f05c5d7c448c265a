/**
 * `lanternd server`'s store flags, named as k3s names them: --datastore-endpoint (etcd; SQLite when
 * absent) with its TLS files, scheduled snapshots, and --cluster-reset to start from a snapshot.
 */
import path from 'node:path';
import { Cron } from 'croner';
import { FlagError } from './flags.js';

/** Where the state lives and how it is snapshotted. */
export interface DatastoreConfig {
  /** etcd client URLs; undefined: the embedded SQLite store in DATA_DIR/state.db. */
  etcd?: { endpoints: string[]; cafile?: string; certfile?: string; keyfile?: string };
  /** Where snapshots are written and listed (default DATA_DIR/snapshots). */
  snapshotDir: string;
  /** A cron expression (croner syntax, 5 or 6 fields); undefined: no scheduled snapshots. */
  snapshotSchedule?: string;
  /** How many scheduled snapshots to keep (default 5, as k3s). */
  snapshotRetention: number;
  /** --cluster-reset-restore-path: the snapshot to bring the store back from before starting. */
  resetFrom?: string;
}

/** The flags' types for parseFlags. */
export const datastoreFlags = {
  'datastore-endpoint': 'string', 'datastore-cafile': 'string', 'datastore-certfile': 'string', 'datastore-keyfile': 'string',
  'snapshot-schedule': 'string', 'snapshot-retention': 'string', 'snapshot-dir': 'string',
  'cluster-reset': 'boolean', 'cluster-reset-restore-path': 'string',
} as const;

/** Their lines in --help. */
export const datastoreFlagsUsage = `  --datastore-endpoint URL,...  keep the state in etcd (http(s)://host:2379,...) instead of DATA_DIR/state.db
  --datastore-cafile FILE       CA of the etcd members' certificates (needed for https://)
  --datastore-certfile FILE     client certificate for etcd; --datastore-keyfile FILE its key
  --snapshot-schedule CRON      take a snapshot on this cron schedule (e.g. "0 */12 * * *")
  --snapshot-retention N        scheduled snapshots to keep (default 5)
  --snapshot-dir DIR            where snapshots go (default DATA_DIR/snapshots)
  --cluster-reset --cluster-reset-restore-path FILE  replace the store with a snapshot, then start
`;

/** Parses and checks the flags (FlagError names the flag and what it expects). */
export function datastoreFromFlags(flags: Record<string, string | boolean | undefined>, dataDir: string): DatastoreConfig {
  const str = (name: string): string | undefined => (typeof flags[name] === 'string' ? flags[name] : undefined);
  const endpoint = str('datastore-endpoint');
  let etcd: DatastoreConfig['etcd'];
  if (endpoint !== undefined) {
    const endpoints = endpoint.split(',').map((e) => e.trim()).filter((e) => e !== '');
    for (const e of endpoints) {
      if (!/^https?:\/\/[^/\s]+\/?$/.test(e)) throw new FlagError(`--datastore-endpoint: "${e}" is not an etcd client URL such as https://etcd1:2379`);
    }
    if (endpoints.length === 0) throw new FlagError('--datastore-endpoint: give at least one etcd client URL, such as https://etcd1:2379');
    if (endpoints.some((e) => e.startsWith('https://')) && str('datastore-cafile') === undefined) {
      throw new FlagError('--datastore-endpoint: https:// endpoints need --datastore-cafile (the CA that signed the etcd certificates)');
    }
    const file = (n: string): string | undefined => { const v = str(n); return v === undefined ? undefined : path.resolve(v); };
    etcd = { endpoints, cafile: file('datastore-cafile'), certfile: file('datastore-certfile'), keyfile: file('datastore-keyfile') };
  } else {
    for (const n of ['datastore-cafile', 'datastore-certfile', 'datastore-keyfile']) {
      if (str(n) !== undefined) throw new FlagError(`--${n} only applies with --datastore-endpoint`);
    }
  }
  const schedule = str('snapshot-schedule');
  if (schedule !== undefined) {
    try { new Cron(schedule, { paused: true }).stop(); } catch (err) {
      throw new FlagError(`--snapshot-schedule: "${schedule}" is not a cron expression such as "0 */12 * * *": ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const retentionText = str('snapshot-retention') ?? '5';
  const retention = Number(retentionText);
  if (!Number.isInteger(retention) || retention < 1) throw new FlagError(`--snapshot-retention: expected a whole number >= 1, got "${retentionText}"`);
  const restore = str('cluster-reset-restore-path');
  if (flags['cluster-reset'] === true && restore === undefined) {
    throw new FlagError('--cluster-reset needs --cluster-reset-restore-path FILE (a snapshot from lanternd snapshot ls)');
  }
  if (restore !== undefined && flags['cluster-reset'] !== true) throw new FlagError('--cluster-reset-restore-path only applies with --cluster-reset');
  return {
    ...(etcd ? { etcd } : {}),
    snapshotDir: path.resolve(str('snapshot-dir') ?? path.join(dataDir, 'snapshots')),
    ...(schedule !== undefined ? { snapshotSchedule: schedule } : {}),
    snapshotRetention: retention,
    ...(restore !== undefined ? { resetFrom: path.resolve(restore) } : {}),
  };
}
