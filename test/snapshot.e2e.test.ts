import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { TestServer, runLanternd } from './harness/lanternd.js';
import { TestEtcd } from './harness/etcd.js';
import { openEtcdStore } from '../src/store/etcd/etcd-store.js';

const cm = (name: string): unknown => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { name } });

describe('lanternd snapshot (SQLite)', () => {
  const server = new TestServer(['--no-agent']);
  before(() => server.start());
  after(() => server.stop());
  const snap = (...args: string[]) => runLanternd(['snapshot', ...args, '--data-dir', server.dataDir]);

  test('save while the server runs, change things, restore with --cluster-reset: the objects are back', async () => {
    assert.equal((await server.api('POST', '/api/v1/namespaces/default/configmaps', cm('before'))).status, 201);
    const saved = await snap('save', '--name', 'e2e');
    assert.equal(saved.code, 0, saved.output);
    const file = saved.output.trim().split('\n').at(-1) ?? '';
    assert.match(path.basename(file), /^e2e-\d{8}T\d{9}Z\.sqlite$/);
    assert.equal(statSync(file).mode & 0o777, 0o600, 'a snapshot holds every Secret');
    assert.match((await snap('ls')).output, new RegExp(path.basename(file)));

    assert.equal((await server.api('DELETE', '/api/v1/namespaces/default/configmaps/before')).status, 200);
    assert.equal((await server.api('POST', '/api/v1/namespaces/default/configmaps', cm('after'))).status, 201);
    const live = await snap('restore', file);
    assert.notEqual(live.code, 0, 'a running server\'s store is not replaced under it');
    assert.match(live.output, /stop it first/);

    await server.process?.stop();
    const reset = new TestServer(['--no-agent', '--cluster-reset', '--cluster-reset-restore-path', file]);
    rmSync(reset.dataDir, { recursive: true, force: true });
    (reset as { dataDir: string }).dataDir = server.dataDir; // the same machine, started with the reset flags
    await reset.start();
    try {
      assert.equal((await reset.api('GET', '/api/v1/namespaces/default/configmaps/before')).status, 200);
      assert.equal((await reset.api('GET', '/api/v1/namespaces/default/configmaps/after')).status, 404);
    } finally { await reset.process?.stop(); }
    await server.start();
    assert.equal((await server.api('GET', '/api/v1/namespaces/default/configmaps/before')).status, 200);
  });

  test('prune keeps the newest N; bad input is refused with what is expected', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await snap('save', '--name', 'p')).code, 0);
    const pruned = await snap('prune', '--keep', '1', '--name', 'p');
    assert.equal(pruned.code, 0, pruned.output);
    assert.equal((pruned.output.match(/deleted /g) ?? []).length, 2);
    assert.equal(((await snap('ls')).output.match(/^p-/gm) ?? []).length, 1);
    assert.match((await snap('prune')).output, /--keep N/);
    assert.match((await snap('save', '--name', 'Bad_Name')).output, /lower-case letters/);
  });

  test('only root may ask the server for a snapshot through its socket', () => {
    const sock = path.join(server.dataDir, 'snapshot.sock');
    assert.equal(statSync(sock).mode & 0o777, 0o600);
    const script = `const c=require('net').connect(${JSON.stringify(sock)});c.on('connect',()=>{console.log('connected');process.exit(0)});c.on('error',(e)=>{console.log(e.code);process.exit(0)})`;
    const r = spawnSync(process.execPath, ['-e', script], { uid: 65534, gid: 65534, encoding: 'utf8' });
    assert.match(r.stdout, /EACCES/);
  });
});

describe('lanternd snapshot (etcd)', () => {
  const etcd = new TestEtcd();
  before(() => etcd.start());
  after(() => etcd.stop());

  test('save writes etcd\'s own snapshot, which etcdctl can read', async () => {
    const store = await openEtcdStore({ endpoints: [etcd.endpoint] });
    const kv = await store.create('/registry/configmaps/default/in-snapshot', '{}').finally(() => store.close());
    const dir = path.join(etcd.dataDir, 'snaps');
    const saved = await runLanternd(['snapshot', 'save', '--datastore-endpoint', etcd.endpoint, '--dir', dir, '--data-dir', path.join(etcd.dataDir, 'lantern')]);
    assert.equal(saved.code, 0, saved.output);
    const file = saved.output.trim().split('\n').at(-1) ?? '';
    assert.match(path.basename(file), /\.etcd$/);
    const status = spawnSync('etcdctl', ['snapshot', 'status', file, '-w', 'json'], { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' } });
    assert.equal(status.status, 0, status.stderr);
    const st = JSON.parse(status.stdout) as { revision?: number; totalKey?: number };
    assert.ok((st.revision ?? 0) >= kv.modRevision && (st.totalKey ?? 0) >= 1, status.stdout);
  });
});
