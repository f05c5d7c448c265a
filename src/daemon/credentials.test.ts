import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from './credentials.js';

test('writeFileAtomic on a full disk fails with ENOSPC and leaves no FILE.tmp-PID behind', async () => {
  // A real full disk: a 1 MiB tmpfs filled to the last byte.
  const dir = mkdtempSync(join(tmpdir(), 'lantern-full-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]);
  try {
    for (const size of [64 * 1024, 512]) {
      try { for (;;) appendFileSync(join(dir, 'filler'), Buffer.alloc(size, 1)); } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
      }
    }
    const config = `server: https://127.0.0.1:6443\ntoken: ${'t'.repeat(64 * 1024)}\n`;
    await assert.rejects(writeFileAtomic(join(dir, 'admin.yaml'), config, 0o600), { code: 'ENOSPC' });
    assert.deepEqual(readdirSync(dir), ['filler']);

    // With room again the same call writes the whole file, private to its owner.
    rmSync(join(dir, 'filler'));
    await writeFileAtomic(join(dir, 'admin.yaml'), config, 0o600);
    assert.equal(readFileSync(join(dir, 'admin.yaml'), 'utf8'), config);
    assert.equal(statSync(join(dir, 'admin.yaml')).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir), ['admin.yaml']);
  } finally {
    execFileSync('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  }
});
