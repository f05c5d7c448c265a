import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSqliteStore } from './sqlite-store.js';

const mode = (file: string): string => (statSync(file).mode & 0o777).toString(8);

test('state.db and its WAL are 0600 under a permissive umask and a world-writable data dir', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-store-mode-'));
  const old = process.umask(0o000);
  try {
    chmodSync(dir, 0o777);
    const file = path.join(dir, 'state.db');
    const store = await openSqliteStore(file);
    await store.create('/registry/secrets/default/s', '{"data":"secret"}');
    assert.equal(mode(file), '600');
    assert.ok(existsSync(`${file}-wal`), 'the WAL exists while the store is open');
    assert.equal(mode(`${file}-wal`), '600');
    await store.close();

    // A store file an older release left readable by all is made private when it is opened.
    chmodSync(file, 0o644);
    writeFileSync(`${file}-wal`, '');
    chmodSync(`${file}-wal`, 0o666);
    const again = await openSqliteStore(file);
    assert.equal(mode(file), '600');
    assert.equal(mode(`${file}-wal`), '600');
    assert.equal((await again.get('/registry/secrets/default/s'))?.value, '{"data":"secret"}');
    await again.close();
  } finally {
    process.umask(old);
    rmSync(dir, { recursive: true, force: true });
  }
});
