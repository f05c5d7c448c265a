/**
 * Embedded HA recovery (issue 16 item 4 with item 2): a three-server etcd cluster loses two servers for
 * good; `lanternd server --cluster-init --cluster-reset` makes the survivor the only member, keeping its
 * data, and it serves reads and writes again. Then `--cluster-reset --cluster-reset-restore-path FILE`
 * brings it back to an etcd snapshot taken earlier. Loopback ports 31xxx.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestServer, runLanternd } from './harness/lanternd.js';
import { allProcesses } from './harness/proc-scan.js';

const base = 31_000 + (process.pid % 150) * 6;
const servers: TestServer[] = [];
const snapshotDir = mkdtempSync(path.join(tmpdir(), 'h5-reset-snap-'));
const etcdFlags = (i: number): string[] => ['--etcd-client-port', String(base + 2 * i), '--etcd-peer-port', String(base + 2 * i + 1)];
const etcdOf = (s: TestServer): number[] => [...allProcesses().values()].filter((p) => p.cmd.startsWith('etcd') && p.cmd.includes(path.join(s.dataDir, 'etcd'))).map((p) => p.pid);
const configMap = (name: string): unknown => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { k: name } });
/** SIGKILL a server and its etcd member: gone as a dead machine is. */
async function killForGood(s: TestServer): Promise<void> {
  await s.process?.kill9();
  for (const pid of etcdOf(s)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
}

before(async () => {
  const first = new TestServer(['--no-agent', '--cluster-init', ...etcdFlags(0)], { https: true });
  servers.push(first);
  await first.start();
  const token = readFileSync(path.join(first.dataDir, 'server-token'), 'utf8').trim();
  for (const i of [1, 2]) {
    const s = new TestServer(['--no-agent', '--server', first.url, '--token', token, ...etcdFlags(i)], { https: true });
    servers.push(s);
    await s.start();
  }
});

after(async () => {
  for (const s of servers.reverse()) {
    const left = etcdOf(s);
    await s.stop();
    for (const pid of [...left, ...etcdOf(s)]) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  }
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
  // A write is acknowledged once a majority has it, which need not include server 1's member; a
  // linearizable read through server 1 returns only once its own member has applied it. A reset keeps
  // what the surviving member holds (etcd's --force-new-cluster), so reset the most up-to-date one.
  assert.equal((await s1.api('GET', '/api/v1/namespaces/default/configmaps/h5-after-snapshot')).status, 200);

  await killForGood(s2);
  await killForGood(s3);
  await killForGood(s1);
  s1.extraArgs.push('--cluster-reset');
  await s1.start();
  assert.match(s1.logs, /--cluster-reset: the etcd cluster is now this member only/);
  assert.equal((await s1.api('GET', '/api/v1/namespaces/default/configmaps/h5-after-snapshot')).status, 200, 'its data is kept');
  assert.equal((await s1.api('POST', '/api/v1/namespaces/default/configmaps', configMap('h5-after-reset'))).status, 201, 'one member is a quorum: writes go through');

  await killForGood(s1);
  s1.extraArgs.push('--cluster-reset-restore-path', snapshot);
  await s1.start();
  assert.match(s1.logs, /etcd data restored from/);
  assert.equal((await s1.api('GET', '/api/v1/namespaces/default/configmaps/h5-before')).status, 200, 'what the snapshot holds is back');
  assert.equal((await s1.api('GET', '/api/v1/namespaces/default/configmaps/h5-after-snapshot')).status, 404, 'what came after it is not');
  assert.equal((await s1.api('POST', '/api/v1/namespaces/default/configmaps', configMap('h5-after-restore'))).status, 201);
});
