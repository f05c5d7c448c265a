import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { openImageStore } from '../src/image/index.js';
import { TestServer, busyboxArchive, lanterndBin, sweepHost } from './harness/lanternd.js';
import { runPodOn, waitNodeReady, stopRemoteAgent } from './harness/remote-nodes.js';

interface Node { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } }

/** Run `lanternd agent` to completion (for runs expected to fail) and collect its output. */
function runToExit(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(lanterndBin, ['agent', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('secure join: HTTPS server, CA-pinned token, per-node credential', { timeout: 180_000 }, () => {
  const server = new TestServer(['--no-agent'], { https: true });
  const agentRoot = mkdtempSync(path.join(tmpdir(), 'lantern-e2e-agent-'));
  const agentDir = path.join(agentRoot, 'agent');
  const bridge = `lt${randomBytes(3).toString('hex')}`;
  const n = (process.pid * 11 + 7) % 12800;
  const subnet = `10.${200 + Math.floor(n / 256)}.${n % 256}.0/24`;
  let agent: ChildProcess | undefined;
  let agentLog = '';
  let joinToken = '';

  before(async () => {
    await server.start();
    joinToken = readFileSync(path.join(server.dataDir, 'node-token'), 'utf8').trim();
    // Images reach only the server's own agent today, so the remote node gets busybox in its store directly.
    const images = await openImageStore(path.join(agentDir, 'images'));
    await images.importArchive(busyboxArchive());
    agent = spawn(lanterndBin, ['agent', '--server', server.url, '--token', joinToken, '--data-dir', agentDir,
      '--bridge', bridge, '--pod-subnet', subnet, '--node-name', 'edge-1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    agent.stdout!.on('data', (d: Buffer) => { agentLog += d.toString(); });
    agent.stderr!.on('data', (d: Buffer) => { agentLog += d.toString(); });
  });

  after(async () => {
    // Let the agent remove its pod (CNI DEL drops the NAT rules the bridge plugin made) before stopping it.
    if (agent && agent.exitCode === null) {
      await server.api('DELETE', '/api/v1/namespaces/default/pods/on-edge?gracePeriodSeconds=0').catch(() => undefined);
      await server.until('pod on-edge removed', async () => (await server.api('GET', '/api/v1/namespaces/default/pods/on-edge')).status === 404, 20_000).catch(() => undefined);
    }
    await stopRemoteAgent(server, agent);
    sweepHost(agentRoot, bridge);
    rmSync(agentRoot, { recursive: true, force: true });
    await server.stop();
  });

  test('the server serves HTTPS and lcctl works with the admin.yaml it wrote', async () => {
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(readFileSync(server.configFile, 'utf8'), /^caData: \S+$/m);
    const r = await server.lcctl(['get', 'nodes']);
    assert.equal(r.code, 0, r.stderr);
  });

  test('the agent joins over HTTPS, registers Ready and runs a pod selected onto it', async () => {
    await waitNodeReady(server, 'edge-1', () => agentLog);
    const pod = await runPodOn(server, 'on-edge', 'edge-1');
    assert.equal(pod.spec.nodeName, 'edge-1');
    const nodes = await server.lcctl(['get', 'nodes']);
    assert.match(nodes.stdout, /edge-1/);
  });

  test("the node's own credential cannot touch another node or its pods", async () => {
    const cred = readFileSync(path.join(agentDir, 'node-credential'), 'utf8').trim();
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
      const r = await runToExit(['--server', server.url, '--token', wrong, '--data-dir', dir, '--bridge', `lt${randomBytes(3).toString('hex')}`, '--node-name', 'edge-bad']);
      assert.notEqual(r.code, 0);
      assert.match(r.output, /refusing to join https:\/\/127\.0\.0\.1:\d+: its CA certificate hashes to [0-9a-f]{64}, but the join token pins f{64}/);
      assert.equal((await server.api('GET', '/api/v1/nodes/edge-bad')).status, 404);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
