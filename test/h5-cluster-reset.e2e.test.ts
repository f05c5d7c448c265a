/**
 * Embedded HA recovery (issue 16 item 4 with item 2): a three-server etcd cluster loses two servers for
 * good; `lanternd server --cluster-init --cluster-reset` makes the survivor the only member, keeping its
 * data, and it serves reads and writes again. Then `--cluster-reset --cluster-reset-restore-path FILE`
 * brings it back to an etcd snapshot taken earlier. Loopback ports 31xxx.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { TestServer, runLanternd } from './harness/lanternd.js';
import { EmbeddedCluster, killForGood } from './harness/embedded-cluster.js';

const base = 31_000 + (process.pid % 150) * 6;
const cluster = new EmbeddedCluster(base);
const servers = cluster.servers;
const snapshotDir = mkdtempSync(path.join(tmpdir(), 'h5-reset-snap-'));
const configMap = (name: string): unknown => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { k: name } });

before(async () => { await cluster.start(); });

after(async () => {
  await cluster.stop();
  rmSync(snapshotDir, { recursive: true, force: true });
});

test('two of three servers lost for good: --cluster-reset makes the third the only member and it serves again; a restore path brings back a snapshot', async () => {
  const [s1, s2, s3] = servers as [TestServer, TestServer, TestServer];
  assert.equal((await s1.api('POST', '/api/v1/namespaces/default/configmaps', configMap('h5-before'))).status, 201);
  const etcd = path.join(s1.dataDir, 'etcd', 'pki');
  const saved = await runLanternd(['snapshot', 'save', '--name', 'h5', '--dir', snapshotDir, '--data-dir', s1.dataDir,
    '--datastore-endpoint', `https://127.0.0.1:${base}`, '--datastore-cafile', path.join(s1.dataDir, 'pki', 'ca.crt'),
    '--datastore-certfile', path.join(etcd, 'etcd.crt'), '--datastore-keyfile', path.join(etcd, 'etcd.key')]);
  assert.equal(saved.code, 0, saved.output);
  const snapshot = saved.output.trim().split('\n').filter((l) => l.endsWith('.etcd')).pop();
  assert.ok(snapshot, saved.output);
  assert.equal((await s1.api('POST', '/api/v1/namespaces/default/configmaps', configMap('h5-after-snapshot'))).status, 201);
  // A write is acknowledged once a majority has it, which need not include server 1's member, and a
  // reset keeps only what the surviving member holds (etcd's --force-new-cluster): reset the most
  // up-to-date one. Wait until server 1's own member serves the write (a serializable read of it alone).
  const memberKeys = (): string => String(spawnSync('etcdctl', ['--endpoints', `https://127.0.0.1:${base}`, '--cacert', path.join(s1.dataDir, 'pki', 'ca.crt'),
    '--cert', path.join(etcd, 'etcd.crt'), '--key', path.join(etcd, 'etcd.key'), '--consistency=s', 'get', '', '--prefix', '--keys-only'], { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' } }).stdout);
  await s1.until(() => 'server 1\'s member holds h5-after-snapshot', async () => memberKeys().includes('h5-after-snapshot'));
  // Applied is not yet durable there: the member persists its commit index with the next entry it
  // appends, and --force-new-cluster drops entries past the persisted one. A later write it holds fences it.
  assert.equal((await s1.api('POST', '/api/v1/namespaces/default/configmaps', configMap('h5-fence'))).status, 201);
  await s1.until(() => 'server 1\'s member holds h5-fence', async () => memberKeys().includes('h5-fence'));

  await killForGood(s2);
  await killForGood(s3);
  await killForGood(s1);
  s1.extraArgs.push('--cluster-reset');
  await s1.start();
  assert.match(s1.logs, /--cluster-reset: the etcd cluster is now this member only/);
  assert.equal((await s1.api('GET', '/api/v1/namespaces/default/configmaps/h5-after-snapshot')).status, 200, `its data is kept (h5-before: ${(await s1.api('GET', '/api/v1/namespaces/default/configmaps/h5-before')).status}; member keys now: ${memberKeys().split('\n').filter((k) => k.includes('h5')).join(' ')})`);
  assert.equal((await s1.api('POST', '/api/v1/namespaces/default/configmaps', configMap('h5-after-reset'))).status, 201, 'one member is a quorum: writes go through');

  await killForGood(s1);
  s1.extraArgs.push('--cluster-reset-restore-path', snapshot);
  await s1.start();
  assert.match(s1.logs, /etcd data restored from/);
  assert.equal((await s1.api('GET', '/api/v1/namespaces/default/configmaps/h5-before')).status, 200, 'what the snapshot holds is back');
  assert.equal((await s1.api('GET', '/api/v1/namespaces/default/configmaps/h5-after-snapshot')).status, 404, 'what came after it is not');
  assert.equal((await s1.api('POST', '/api/v1/namespaces/default/configmaps', configMap('h5-after-restore'))).status, 201);
});
