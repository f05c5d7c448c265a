import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LogFile } from './log-file.js';

describe('audit log file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-audit-file-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('rotates by size as lumberjack does (NAME-TIME.EXT) and keeps maxBackups rotated files', async () => {
    const file = path.join(dir, 'rot', 'audit.log');
    const log = await LogFile.open({ path: file, maxBytes: 1000, maxBackups: 2 });
    const line = (i: number): string => `{"n":${String(i).padStart(4, '0')},"pad":"${'x'.repeat(80)}"}`;
    for (let i = 0; i < 60; i++) {
      log.write(line(i));
      // Rotated files carry a time to the millisecond: one flush per few ms keeps their names apart.
      if (i % 5 === 4) { await log.flush(); await new Promise((r) => setTimeout(r, 3)); }
    }
    await log.close();
    const names = readdirSync(path.dirname(file)).sort();
    const backups = names.filter((n) => n !== 'audit.log');
    assert.equal(backups.length, 2, names.join(' '));
    for (const b of backups) assert.match(b, /^audit-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}\.log$/);
    for (const n of names) assert.ok(statSync(path.join(path.dirname(file), n)).size <= 1000, `${n} is over the size`);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    // The newest lines are all there, in order, across the backups and the live file.
    const kept = [...backups, 'audit.log'].flatMap((n) => readFileSync(path.join(path.dirname(file), n), 'utf8').split('\n').filter(Boolean));
    assert.deepEqual(kept, Array.from({ length: kept.length }, (_, k) => line(60 - kept.length + k)));
    assert.equal(kept.at(-1), line(59));
  });

  test('what is still queued at exit is written synchronously', async () => {
    const file = path.join(dir, 'exit.log');
    const log = await LogFile.open({ path: file, maxBytes: 0, maxBackups: 0 });
    log.write('{"a":1}');
    log.write('{"a":2}');
    log.flushSync();
    assert.equal(readFileSync(file, 'utf8'), '{"a":1}\n{"a":2}\n');
    await log.close();
  });
});
