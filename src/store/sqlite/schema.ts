/**
 * Opening the SQLite file: durability pragmas, the single-process lock and schema migrations.
 * The schema version lives in PRAGMA user_version; each migration runs in its own transaction.
 */
import Database from 'better-sqlite3';

/** A better-sqlite3 connection. */
export type Db = Database.Database;

/**
 * Migrations in order; index i upgrades user_version i to i + 1. Append, never edit: files written by
 * an older Lantern are upgraded in place on open.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE meta (
     name  TEXT PRIMARY KEY,
     value INTEGER NOT NULL
   ) WITHOUT ROWID;
   CREATE TABLE kv (
     key        TEXT PRIMARY KEY,
     value      TEXT NOT NULL,
     create_rev INTEGER NOT NULL,
     mod_rev    INTEGER NOT NULL
   ) WITHOUT ROWID;
   CREATE TABLE events (
     revision        INTEGER PRIMARY KEY,
     type            TEXT NOT NULL CHECK (type IN ('put', 'delete')),
     key             TEXT NOT NULL,
     value           TEXT,
     create_rev      INTEGER NOT NULL,
     prev_value      TEXT,
     prev_create_rev INTEGER,
     prev_mod_rev    INTEGER
   );
   INSERT INTO meta (name, value) VALUES ('revision', 0), ('compacted', 0);`,
  // 2: kv as a rowid table with a unique index on key. Objects are 1-4 KiB, and a WITHOUT ROWID
  // table keeps rows that large in its b-tree leaves with overflow pages, so each lookup read
  // several pages: gets were 2-3x slower at 13,000 objects (SQLite advises WITHOUT ROWID only for
  // rows under about 1/20 of a page).
  `CREATE TABLE kv2 (
     id         INTEGER PRIMARY KEY,
     key        TEXT NOT NULL UNIQUE,
     value      TEXT NOT NULL,
     create_rev INTEGER NOT NULL,
     mod_rev    INTEGER NOT NULL
   );
   INSERT INTO kv2 (key, value, create_rev, mod_rev) SELECT key, value, create_rev, mod_rev FROM kv ORDER BY key;
   DROP TABLE kv;
   ALTER TABLE kv2 RENAME TO kv;`,
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Opens (creating if needed) the store file with WAL + synchronous=NORMAL (see group-commit.ts), takes the exclusive lock
 * that keeps other processes out, and migrates the schema.
 */
export function openDatabase(path: string): Db {
  let db: Db;
  try {
    db = new Database(path);
  } catch (err) {
    throw new Error(`state store: cannot open ${path}: ${errorText(err)}; check that the directory exists and is writable`);
  }
  try {
    // EXCLUSIVE must be set before WAL is entered so SQLite never uses the shared-memory index:
    // the lock then stays held for the life of the connection and a second process is refused.
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('busy_timeout = 2000');
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') {
      throw new Error(`journal_mode is ${String(mode)}, not wal; put the store on a local filesystem that supports WAL`);
    }
    // NORMAL: COMMIT does not fsync (that would block the event loop); the group committer
    // fdatasyncs the WAL off the loop before acknowledging, so acknowledged writes survive power
    // loss as with FULL. Checkpoints still sync the WAL first and the database after.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = OFF');
    // 32 MiB of page cache instead of SQLite's 2 MiB: at 100,000 pods the hot pages no longer fit
    // in 2 MiB and every read-modify-write went to the kernel for its pages.
    db.pragma('cache_size = -32768');
    db.exec('BEGIN IMMEDIATE; COMMIT'); // take the write lock now rather than on the first write
    migrate(db, path);
    return db;
  } catch (err) {
    db.close();
    if (isBusy(err)) {
      throw new Error(`state store: ${path} is in use by another process; stop it (only one process may open a store)`);
    }
    throw new Error(`state store: cannot open ${path}: ${errorText(err)}`);
  }
}

function migrate(db: Db, path: string): void {
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version > SCHEMA_VERSION) {
    throw new Error(`schema version ${version} of ${path} is newer than this build understands (${SCHEMA_VERSION}); upgrade Lantern`);
  }
  for (let v = version; v < SCHEMA_VERSION; v++) {
    const sql = MIGRATIONS[v];
    if (sql === undefined) break;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}

function isBusy(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err &&
    (err.code === 'SQLITE_BUSY' || err.code === 'SQLITE_LOCKED');
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
