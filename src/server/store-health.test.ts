import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.js';
import { StoreHealth, storeHealthKey } from './store-health.js';

// A real SQLite store on a 2 MiB tmpfs that the test fills: the disk, not a fake, refuses the writes.
let dir: string;
let store: SqliteStore;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lantern-store-health-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir]);
  store = await openSqliteStore(join(dir, 'state.db'));
});
after(async () => {
  await store.close().catch(() => undefined);
  execFileSync('umount', ['-l', dir]);
  rmSync(dir, { recursive: true, force: true });
});

function fillDisk(): void {
  for (const size of [64 * 1024, 512]) {
    try { for (;;) appendFileSync(join(dir, 'filler'), Buffer.alloc(size, 1)); } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
    }
  }
}

test('a store that can write passes; asked 50 times at once it writes its probe key once', async () => {
  const health = new StoreHealth(store);
  const before = await store.currentRevision();
  const answers = await Promise.all(Array.from({ length: 50 }, () => health.check()));
  assert.deepEqual(new Set(answers), new Set([undefined]));
  assert.equal(await store.currentRevision(), before + 1);
  assert.match((await store.get(storeHealthKey))!.value, /probedAt/);
  // Within the interval the answer is reused: no more writes.
  await health.check();
  assert.equal(await store.currentRevision(), before + 1);
});

test('on a full disk the probe reports why the store cannot write, and passes again once there is room', async () => {
  const health = new StoreHealth(store, { intervalMs: 0 });
  assert.equal(await health.check(), undefined);
  fillDisk();
  try {
    const problem = await health.check();
    assert.match(problem ?? '', /^cannot write: .*database or disk is full/);
  } finally {
    rmSync(join(dir, 'filler'));
  }
  assert.equal(await health.check(), undefined);
});
