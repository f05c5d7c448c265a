import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runStoreConformance } from '../conformance.js';
import type { StoreEvent } from '../types.js';
import { openSqliteStore, type SqliteStore } from './sqlite-store.js';
import { MIGRATIONS } from './schema.js';

runStoreConformance('sqlite', (dir) => openSqliteStore(join(dir, 'state.db')));

/** Runs fn with the path of a store file in a fresh temp dir, removed afterwards. */
async function inTempDir(fn: (path: string, open: () => Promise<SqliteStore>) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'lantern-sqlite-'));
  const path = join(dir, 'state.db');
  const opened: SqliteStore[] = [];
  try {
    await fn(path, async () => { const s = await openSqliteStore(path); opened.push(s); return s; });
  } finally {
    for (const s of opened) await s.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Resolves after the event loop has gone round n times, so scheduled work has run. */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

describe('sqlite store specifics', () => {
  test('writes issued in one turn commit in one transaction (group commit)', () => inTempDir(async (_path, open) => {
    const s = await open();
    await Promise.all(Array.from({ length: 32 }, (_, i) => s.create(`/g/${i}`, '{}')));
    assert.deepEqual(s.commitStats(), { batches: 1, writes: 32 });
    await Promise.all(Array.from({ length: 1500 }, (_, i) => s.create(`/big/${i}`, '{}')));
    assert.deepEqual(s.commitStats(), { batches: 3, writes: 1532 }, 'a huge burst is split into bounded transactions');
  }));

  test('the file is in WAL mode and a second opener is refused while the store is open', () => inTempDir(async (path, open) => {
    const s = await open();
    await assert.rejects(openSqliteStore(path), /in use by another process/);
    await s.close();
    const raw = new Database(path, { readonly: true });
    try {
      assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
    } finally { raw.close(); }
  }));

  test('close commits writes still queued; later writes are refused', () => inTempDir(async (_path, open) => {
    const s = await open();
    const pending = [s.create('/q/1', '1'), s.create('/q/2', '2')];
    await s.close();
    assert.deepEqual((await Promise.all(pending)).map((kv) => kv.modRevision), [1, 2]);
    await assert.rejects(s.create('/q/3', '3'), /closed/);
    const again = await open();
    assert.deepEqual((await again.list('/q/')).items.map((kv) => kv.value), ['1', '2']);
  }));

  test('compaction does not cut history from under a watch that is still replaying', () => inTempDir(async (path, open) => {
    const s = await open();
    await Promise.all(Array.from({ length: 1000 }, (_, i) => s.create(`/c/${i}`, `${i}`)));
    const got: StoreEvent[] = [];
    s.watch('/c/', 1, (e) => got.push(e));
    await s.compact(900); // the watcher has not read a single page yet
    while (got.length < 999) await turns(1);
    assert.deepEqual(got.map((e) => e.revision), Array.from({ length: 999 }, (_, i) => i + 2));
    await s.close();
    const raw = new Database(path, { readonly: true });
    try {
      const row = raw.prepare<[], { n: number }>('SELECT count(*) AS n FROM events WHERE revision <= 900').get();
      assert.equal(row?.n, 0, 'rows held back for the watcher are deleted once it caught up');
    } finally { raw.close(); }
  }));

  test('a watch callback that throws does not stop writes or other watches', () => inTempDir(async (_path, open) => {
    const s = await open();
    const good: string[] = [];
    const warnings: string[] = [];
    const onWarning = (w: Error): void => { warnings.push(w.message); };
    process.on('warning', onWarning);
    try {
      s.watch('/t/', 0, () => { throw new Error('boom'); });
      s.watch('/t/', 0, (e) => good.push(e.kv.key));
      await s.create('/t/1', '1');
      await s.create('/t/2', '2');
      await turns(2);
      assert.deepEqual(good, ['/t/1', '/t/2']);
      assert.ok(warnings.some((w) => w.includes('boom')), 'the failure is reported as a process warning');
    } finally { process.off('warning', onWarning); }
  }));

  test('a file written by a newer schema is refused with a clear message', () => inTempDir(async (path) => {
    const raw = new Database(path);
    raw.pragma('user_version = 99');
    raw.close();
    await assert.rejects(openSqliteStore(path), /newer than this build understands/);
  }));

  test('a store written by schema 1 (kv WITHOUT ROWID) is migrated in place with every value and revision', () => inTempDir(async (path) => {
    const raw = new Database(path);
    raw.exec(MIGRATIONS[0]!);
    raw.prepare('INSERT INTO kv (key, value, create_rev, mod_rev) VALUES (?, ?, ?, ?)').run('/t/a', 'A', 1, 3);
    raw.prepare('INSERT INTO kv (key, value, create_rev, mod_rev) VALUES (?, ?, ?, ?)').run('/t/b', 'B', 2, 2);
    raw.prepare("UPDATE meta SET value = 3 WHERE name = 'revision'").run();
    raw.pragma('user_version = 1');
    raw.close();
    const s = await openSqliteStore(path);
    try {
      assert.deepEqual(await s.get('/t/a'), { key: '/t/a', value: 'A', createRevision: 1, modRevision: 3 });
      assert.deepEqual((await s.list('/t/')).items.map((kv) => kv.key), ['/t/a', '/t/b']);
      const next = await s.update('/t/b', 'B2', 2);
      assert.equal(next.modRevision, 4, 'the revision sequence goes on');
    } finally { await s.close(); }
    const check = new Database(path);
    assert.equal(check.pragma('user_version', { simple: true }), MIGRATIONS.length);
    check.close();
  }));

  test('a missing directory is reported with the path', async () => {
    await assert.rejects(openSqliteStore('/nonexistent-lantern-dir/state.db'), /nonexistent-lantern-dir.*directory exists/);
  });
});
