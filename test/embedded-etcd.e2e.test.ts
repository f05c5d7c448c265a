/**
 * Embedded HA (issue 16 item 2): three `lanternd server` forming one etcd cluster on loopback ports
 * (27xxx): the first with --cluster-init, the others with --server URL --token T. An object written
 * through server 1 is read through server 3; with one member SIGKILLed the other servers keep writing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { EmbeddedCluster, etcdOf } from './harness/embedded-cluster.js';

const base = 27_000 + (process.pid % 150) * 6;
const cluster = new EmbeddedCluster(base);
const servers = cluster.servers;
const configMap = (name: string): unknown => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { k: name } });

before(async () => { await cluster.start(); });

after(async () => {
  await cluster.stop();
});

test('three servers form one cluster: written through server 1, read through server 3 with the same admin token', async () => {
  const [s1, s2, s3] = servers as [TestServer, TestServer, TestServer];
  assert.equal(s2.token, s1.token, 'a joined server accepts the first one\'s admin token');
  assert.equal(s3.joinToken, s1.joinToken, 'and its node join token: agents may join through any server');
  assert.equal((await s1.api('POST', '/api/v1/namespaces/default/configmaps', configMap('h2-one'))).status, 201);
  const read = await s3.api<{ data?: { k?: string } }>('GET', '/api/v1/namespaces/default/configmaps/h2-one');
  assert.equal(read.status, 200);
  assert.equal(read.body.data?.k, 'h2-one');
  const listed = await s2.lcctl(['get', 'configmaps']);
  assert.match(listed.stdout, /h2-one/, listed.stderr);
});

test('the registry across servers: an image pushed through server 1 is pulled through server 2, and a tag moved through server 3 is what server 1 serves', async () => {
  const [s1, s2, s3] = servers as [TestServer, TestServer, TestServer];
  const sha = (t: string): string => `sha256:${createHash('sha256').update(t).digest('hex')}`;
  const push = async (s: TestServer, tag: string, layer: string): Promise<string> => {
    const config = JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } });
    for (const b of [config, layer]) assert.equal((await s.api('POST', `/v2/h5/app/blobs/uploads/?digest=${sha(b)}`, b)).status, 201);
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha(layer), size: layer.length }] });
    assert.equal((await s.api('PUT', `/v2/h5/app/manifests/${tag}`, manifest)).status, 201);
    return sha(manifest);
  };
  const first = await push(s1, 'v1', 'h5 layer one');
  const pulled = await s2.api<{ layers: { digest: string }[] }>('GET', '/v2/h5/app/manifests/v1');
  assert.equal(pulled.status, 200, JSON.stringify(pulled.body));
  assert.equal(sha(JSON.stringify(pulled.body)), first);
  const layer = await s2.api<string>('GET', `/v2/h5/app/blobs/${pulled.body.layers[0]!.digest}`);
  assert.equal(layer.body, 'h5 layer one');
  assert.equal((await s2.api('GET', '/v2/h5/app/manifests/v1', undefined, s2.joinToken)).status, 403, 'the join token may not pull');
  const moved = await push(s3, 'v1', 'h5 layer two');
  const again = await s1.api('GET', '/v2/h5/app/manifests/v1');
  assert.equal(sha(JSON.stringify(again.body)), moved, 'server 1 serves the tag as server 3 moved it');
});

test('the join route refuses anyone but the server token, and a join without it is refused before etcd is touched', async () => {
  const s1 = servers[0]!;
  const r = await s1.api('POST', '/apis/lantern.dev/v1/servers/join', { name: 'h2-x', peerURL: 'https://127.0.0.1:27999' }, s1.joinToken);
  assert.equal(r.status, 403, JSON.stringify(r.body));
  const bad = await s1.api('POST', '/apis/lantern.dev/v1/servers/join', { name: 'h2-x', peerURL: 'http://x' });
  assert.equal(bad.status, 422, JSON.stringify(bad.body));
});

test('SIGKILL of one server\'s etcd member: the other two keep serving writes, and the supervisor brings it back', async () => {
  const [s1, s2, s3] = servers as [TestServer, TestServer, TestServer];
  const [victim] = etcdOf(s3);
  assert.ok(victim, 'server 3 runs an etcd member');
  process.kill(victim, 'SIGKILL');
  assert.equal((await s1.api('POST', '/api/v1/namespaces/default/configmaps', configMap('h2-two'))).status, 201);
  assert.equal((await s2.api('POST', '/api/v1/namespaces/default/configmaps', configMap('h2-three'))).status, 201);
  assert.equal((await s2.api('GET', '/api/v1/namespaces/default/configmaps/h2-two')).status, 200);
  await s3.until('server 3\'s member to be restarted and serve the new objects', async () => {
    const r = await s3.api('GET', '/api/v1/namespaces/default/configmaps/h2-three').catch(() => undefined);
    return r?.status === 200 && etcdOf(s3).some((p) => p !== victim);
  }, 60_000);
  assert.match(s3.logs, /embedded etcd: etcd exited \(SIGKILL\); starting it again/);
});

test('the admin token rotated through server 1 is the admin token of every server; the old one is refused everywhere', async () => {
  const [s1, s2, s3] = servers as [TestServer, TestServer, TestServer];
  const old = s1.token;
  const r = await s1.api<{ token: string }>('POST', '/apis/lantern.dev/v1/admintoken/rotate');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const token = r.body.token;
  for (const s of [s1, s2, s3]) {
    await s.until('the server to take the rotated admin token', async () => (await s.api('GET', '/api/v1/namespaces/default/configmaps', undefined, token)).status === 200);
    assert.equal((await s.api('GET', '/api/v1/namespaces/default/configmaps', undefined, old)).status, 401);
    assert.equal(readFileSync(path.join(s.dataDir, 'admin-token'), 'utf8').trim(), token, 'DATA_DIR/admin-token rewritten');
    s.token = token;
  }
});
