import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, runLcctl, type Cluster } from '../testing/cluster.js';

describe('version, help and failures', () => {
  let c: Cluster;
  before(async () => { c = await startCluster(); });
  after(async () => { await c.close(); });

  test('version shows client and server', async () => {
    const r = await c.lcctl(['version']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Client Version: \S+\nServer Version: \S+\n$/);
  });

  test('help, VERB --help and unknown verbs', async () => {
    assert.match((await c.lcctl([])).stdout, /Commands:\n {2}run /);
    const h = await c.lcctl(['ps', '--help']);
    assert.equal(h.code, 0);
    assert.match(h.stdout, /Usage: {2}lcctl ps/);
    assert.match((await c.lcctl(['help', 'get'])).stdout, /-o, --output/);
    const u = await c.lcctl(['frobnicate']);
    assert.equal(u.code, 1);
    assert.match(u.stderr, /unknown command "frobnicate"/);
  });

  test('an unknown flag: 125 for container verbs, 1 for kubectl verbs', async () => {
    for (const verb of ['ps', 'logs', 'exec', 'stop', 'rm', 'images']) {
      const r = await c.lcctl([verb, '--foo']);
      assert.equal(r.code, 125, verb);
      assert.match(r.stderr, /unknown flag: --foo/);
    }
    for (const verb of ['get', 'apply', 'describe', 'delete']) assert.equal((await c.lcctl([verb, '--foo'])).code, 1, verb);
  });

  test('an unreachable server: run exits 125, other verbs 1, with the address in the message', async () => {
    const env = { PATH: process.env.PATH, HOME: c.dir, LANTERN_SERVER: 'http://127.0.0.1:1', LANTERN_TOKEN: 't' };
    const run = await runLcctl(['run', 'busybox'], env);
    assert.equal(run.code, 125);
    assert.match(run.stderr, /^lcctl: Error: cannot connect to the Lantern server at http:\/\/127\.0\.0\.1:1/);
    assert.equal((await runLcctl(['ps'], env)).code, 1);
    const get = await runLcctl(['get', 'pods'], env);
    assert.equal(get.code, 1);
    assert.match(get.stderr, /cannot connect/);
  });

  test('a wrong token is reported by the server', async () => {
    const r = await c.lcctl(['ps'], { env: { LANTERN_TOKEN: 'wrong' } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /token is not valid/);
  });

  test('--server/--token flags before the verb override the environment', async () => {
    const r = await runLcctl(['--server', c.url, '--token', c.token, 'ps', '-a'], { PATH: process.env.PATH, HOME: c.dir, LANTERN_SERVER: 'http://127.0.0.1:1' });
    assert.equal(r.code, 0, r.stderr);
  });
});
