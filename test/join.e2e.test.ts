import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { TestServer, runLanternd } from './harness/lanternd.js';
import { RemoteAgent } from './harness/remote-agent.js';
import { runPodOn, waitNodeReady } from './harness/remote-nodes.js';

interface Node { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } }

describe('secure join: HTTPS server, CA-pinned token, per-node credential', { timeout: 180_000 }, () => {
  const server = new TestServer(['--no-agent'], { https: true });
  // The join is what this file tests: the agent starts in before(), and a test waits for its node.
  const agent = new RemoteAgent(server, 'edge-1', { waitReady: false });
  let joinToken = '';

  before(async () => {
    await server.start();
    joinToken = server.joinToken;
    await agent.start();
  });

  after(async () => {
    // Let the agent remove its pod (CNI DEL drops the NAT rules the bridge plugin made) before stopping it.
    await agent.remove('on-edge');
    await server.stop();
  });

  test('the server serves HTTPS and lcctl works with the admin.yaml it wrote', async () => {
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(readFileSync(server.configFile, 'utf8'), /^caData: \S+$/m);
    const r = await server.lcctl(['get', 'nodes']);
    assert.equal(r.code, 0, r.stderr);
  });

  test('the agent joins over HTTPS, registers Ready and runs a pod selected onto it', async () => {
    await waitNodeReady(server, 'edge-1', () => agent.log);
    const pod = await runPodOn(server, 'on-edge', 'edge-1');
    assert.equal(pod.spec.nodeName, 'edge-1');
    const nodes = await server.lcctl(['get', 'nodes']);
    assert.match(nodes.stdout, /edge-1/);
  });

  test("the node's own credential cannot touch another node or its pods", async () => {
    const cred = agent.credential();
    assert.match(cred, /^lt-node:edge-1:/);
    assert.equal((await server.api('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'other' } })).status, 201);
    assert.equal((await server.api('POST', '/api/v1/namespaces/default/pods', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'elsewhere' }, spec: { nodeName: 'other', containers: [{ name: 'c', image: 'busybox' }] },
    })).status, 201);
    const other = await server.api<Node>('GET', '/api/v1/nodes/other', undefined, cred);
    assert.equal(other.status, 200);
    const update = await server.api<{ message: string }>('PUT', '/api/v1/nodes/other', { ...other.body, metadata: { ...other.body.metadata, labels: { taken: 'yes' } } }, cred);
    assert.equal(update.status, 403);
    assert.match(update.body.message, /system:node:edge-1 may not update nodes "other"/);
    const del = await server.api<{ message: string }>('DELETE', '/api/v1/namespaces/default/pods/elsewhere?gracePeriodSeconds=0', undefined, cred);
    assert.equal(del.status, 403);
    assert.match(del.body.message, /system:node:edge-1 may not delete pods "default\/elsewhere"/);
    assert.equal((await server.api('GET', '/api/v1/namespaces/default/pods/elsewhere')).status, 200);
  });

  test('a token that pins another CA makes the agent refuse to join', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lantern-e2e-badpin-'));
    try {
      const wrong = joinToken.replace(/^K10[0-9a-f]{64}/, `K10${'f'.repeat(64)}`);
      const r = await runLanternd(['agent', '--server', server.url, '--token', wrong, '--data-dir', dir, '--bridge', `lt${randomBytes(3).toString('hex')}`, '--node-name', 'edge-bad']);
      assert.notEqual(r.code, 0);
      assert.match(r.output, /refusing to join https:\/\/127\.0\.0\.1:\d+: its CA certificate hashes to [0-9a-f]{64}, but the join token pins f{64}/);
      assert.equal((await server.api('GET', '/api/v1/nodes/edge-bad')).status, 404);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
