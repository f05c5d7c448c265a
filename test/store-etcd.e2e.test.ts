import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { TestServer, busyboxArchive } from './harness/lanternd.js';
import { busyboxPod, importBusybox, waitContainer } from './harness/pods.js';
import { TestEtcd } from './harness/etcd.js';

describe('lanternd server --datastore-endpoint (etcd as the store)', () => {
  const etcd = new TestEtcd();
  let server: TestServer;
  before(async () => {
    await etcd.start();
    server = new TestServer(['--datastore-endpoint', etcd.endpoint]);
    await server.start();
    await importBusybox(server, busyboxArchive());
  });
  after(async () => { await server?.stop(); await etcd.stop(); });

  test('a pod runs on an etcd-backed server, and its objects survive a server restart', async () => {
    const cm = await server.api('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kept' }, data: { k: 'v' } });
    assert.equal(cm.status, 201);
    assert.equal((await server.api('POST', '/api/v1/namespaces/default/pods', busyboxPod('on-etcd', ['sleep', '3600'], { restartPolicy: 'Always' }))).status, 201);
    await waitContainer(server, 'on-etcd', 'running', (s) => s.state?.running !== undefined, 60_000);
    assert.equal(existsSync(path.join(server.dataDir, 'state.db')), false, 'no SQLite store was made');

    await server.process?.stop();
    await server.start();
    const again = await server.api<{ data: Record<string, string> }>('GET', '/api/v1/namespaces/default/configmaps/kept');
    assert.equal(again.status, 200);
    assert.deepEqual(again.body.data, { k: 'v' });
    await waitContainer(server, 'on-etcd', 'running after the restart', (s) => s.state?.running !== undefined, 60_000);
  });

  test('a wrong endpoint is refused at start with the flag named', async () => {
    const bad = new TestServer(['--no-agent', '--datastore-endpoint', 'etcd1:2379']);
    try {
      await assert.rejects(bad.start(), /--datastore-endpoint: "etcd1:2379" is not an etcd client URL/);
    } finally { await bad.stop(); }
  });
});
