/**
 * /readyz and /healthz of a real `lanternd server` whose data dir is a small tmpfs that the test
 * fills: the SQLite store cannot write, and the health endpoints say so (503, with the reason);
 * /livez stays 200 (restarting the process mends no disk). Freeing the space makes them pass again.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';

describe('health endpoints report a store that cannot write', () => {
  const server = new TestServer(['--no-agent']);
  const filler = path.join(server.dataDir, 'filler');
  before(async () => {
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64m,mode=0700', 'tmpfs', server.dataDir], { encoding: 'utf8' });
    assert.equal(mount.status, 0, mount.stderr);
    await server.start();
  });
  // stop() unmounts every mount under the data dir (the tmpfs too) before removing it.
  after(async () => { await server.stop(); });

  const health = async (p: string): Promise<{ status: number; text: string }> => {
    const res = await fetch(server.url + p);
    return { status: res.status, text: await res.text() };
  };

  test('a full disk turns /readyz and /healthz to 503 naming the store; /livez stays 200; room again mends them', async () => {
    assert.deepEqual(await health('/readyz'), { status: 200, text: 'ok' });
    assert.deepEqual(await health('/readyz?verbose'), { status: 200, text: '[+]ping ok\n[+]store ok\n[+]started ok\nreadyz check passed\n' });

    for (const size of [1024 * 1024, 4096, 1]) {
      try { for (;;) appendFileSync(filler, Buffer.alloc(size, 1)); } catch (e) { assert.equal((e as NodeJS.ErrnoException).code, 'ENOSPC'); }
    }
    // Writes through the API keep the WAL growing until SQLite needs a page it cannot get.
    let n = 0;
    const ready = await server.until('/readyz to fail', async () => {
      await server.api('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `fill-${n++}` }, data: { a: 'x'.repeat(8192) } });
      const r = await health('/readyz');
      return r.status === 503 ? r : undefined;
    });
    assert.match(ready.text, /^\[\+\]ping ok\n\[-\]store failed: cannot write: .*(disk is full|SQLITE_FULL).*\n\[\+\]started ok\nreadyz check failed\n$/);
    const healthz = await health('/healthz');
    assert.equal(healthz.status, 503);
    assert.match(healthz.text, /\[-\]store failed: cannot write/);
    assert.deepEqual(await health('/livez'), { status: 200, text: 'ok' });
    assert.equal((await health('/readyz?exclude=store')).status, 200);

    rmSync(filler);
    await server.until('/readyz to pass again', async () => (await health('/readyz')).status === 200);
    assert.equal((await health('/healthz')).status, 200);
  });
});
