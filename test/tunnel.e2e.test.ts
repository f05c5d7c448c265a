import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import https from 'node:https';
import { openImageStore } from '../src/image/index.js';
import { TestServer, busyboxArchive, lanterndBin, sweepHost } from './harness/lanternd.js';
import { runPodOn, waitNodeReady, stopRemoteAgent } from './harness/remote-nodes.js';

interface Images { items: { node: string; names: string[] }[] }

describe("logs, exec and stats of a remote agent's pod go through the agent's tunnel", { timeout: 240_000 }, () => {
  const server = new TestServer(['--no-agent'], { https: true });
  const agentRoot = mkdtempSync(path.join(tmpdir(), 'lantern-e2e-tunnel-'));
  const agentDir = path.join(agentRoot, 'agent');
  const bridge = `lt${randomBytes(3).toString('hex')}`;
  const n = (process.pid * 13 + 5) % 12800;
  const subnet = `10.${150 + Math.floor(n / 256)}.${n % 256}.0/24`;
  let agent: ChildProcess | undefined;
  let agentLog = '';
  let joinToken = '';

  const startAgent = (): void => {
    agent = spawn(lanterndBin, ['agent', '--server', server.url, '--token', joinToken, '--data-dir', agentDir,
      '--bridge', bridge, '--pod-subnet', subnet, '--node-name', 'edge-t'], { stdio: ['ignore', 'pipe', 'pipe'] });
    agent.stdout!.on('data', (d: Buffer) => { agentLog += d.toString(); });
    agent.stderr!.on('data', (d: Buffer) => { agentLog += d.toString(); });
  };

  before(async () => {
    await server.start();
    joinToken = readFileSync(path.join(server.dataDir, 'node-token'), 'utf8').trim();
    const images = await openImageStore(path.join(agentDir, 'images'));
    await images.importArchive(busyboxArchive());
    startAgent();
  });

  after(async () => {
    await stopRemoteAgent(server, agent, 'remote');
    sweepHost(agentRoot, bridge);
    rmSync(agentRoot, { recursive: true, force: true });
    await server.stop();
  });

  /** The four calls a user makes, all of which must go through the tunnel. */
  const works = async (): Promise<void> => {
    const logs = await server.lcctl(['logs', 'remote']);
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, /^up$/m);
    const exec = await server.lcctl(['exec', 'remote', 'sh', '-c', 'echo hi; exit 3']);
    assert.equal(exec.stdout, 'hi\n');
    assert.equal(exec.code, 3, exec.stderr);
    const cat = await server.lcctl(['exec', '-i', 'remote', 'cat'], 'through\nthe tunnel\n');
    assert.equal(cat.code, 0, cat.stderr);
    assert.equal(cat.stdout, 'through\nthe tunnel\n');
    const stats = await server.lcctl(['stats', '--no-stream', 'remote']);
    assert.equal(stats.code, 0, stats.stderr);
    assert.match(stats.stdout, /CPU %/);
  };

  test('a pod on the remote agent runs', async () => {
    await waitNodeReady(server, 'edge-t', () => agentLog);
    const pod = await runPodOn(server, 'remote', 'edge-t');
    assert.equal(pod.spec.nodeName, 'edge-t');
  });

  test('lcctl logs, exec (exit code), exec -i and stats work through the server', async () => {
    await server.until(`the tunnel is up (agent log: ${agentLog})`, async () => (await server.lcctl(['logs', 'remote'])).code === 0, 30_000);
    await works();
  });

  test("the remote node's images are listed, imported and removed through the tunnel", async () => {
    const imported = await postArchive(server, '/apis/lantern.dev/v1/images?node=edge-t&ref=tunneled:v1', busyboxArchive());
    assert.equal(imported.status, 201, imported.body);
    assert.ok((JSON.parse(imported.body) as Images).items.some((i) => i.node === 'edge-t' && i.names.includes('docker.io/library/tunneled:v1')), imported.body);
    const list = await server.api<Images>('GET', '/apis/lantern.dev/v1/images?node=edge-t');
    assert.equal(list.status, 200);
    assert.ok(list.body.items.some((i) => i.names.includes('docker.io/library/tunneled:v1')));
    const removed = await server.api<Images>('DELETE', '/apis/lantern.dev/v1/images/tunneled:v1?node=edge-t');
    assert.equal(removed.status, 200);
    const gone = await server.api<{ message: string }>('DELETE', '/apis/lantern.dev/v1/images/tunneled:v1?node=edge-t');
    assert.equal(gone.status, 404, 'the agent\'s NotFound comes back as a 404');
    assert.match(gone.body.message, /not found on node edge-t/);
  });

  test('with the agent killed, the calls fail with a clear 503; restarted, they work again', async () => {
    const exited = new Promise((r) => agent!.once('exit', r));
    agent!.kill('SIGKILL');
    await exited;
    const failed = await server.until('logs refused', async () => {
      const r = await server.lcctl(['logs', 'remote']);
      return r.code !== 0 ? r : undefined;
    });
    assert.match(failed.stderr, /node "edge-t" is not connected/);
    const exec = await server.lcctl(['exec', 'remote', 'true']);
    assert.notEqual(exec.code, 0);
    assert.match(exec.stderr, /node "edge-t" is not connected/);
    const direct = await server.api<{ message: string }>('GET', '/api/v1/namespaces/default/pods/remote/stats');
    assert.equal(direct.status, 503);

    startAgent();
    await server.until(`the tunnel is back (agent log: ${agentLog})`, async () => {
      const r = await server.lcctl(['exec', 'remote', 'true']);
      return r.code === 0;
    }, 90_000);
    await works();
  });

  test("only a node's own credential opens its tunnel", async () => {
    const cred = readFileSync(path.join(agentDir, 'node-credential'), 'utf8').trim();
    const other = await dialTunnel(server, 'other', cred);
    assert.equal(other.status, 403);
    assert.match((JSON.parse(other.body) as { message: string }).message, /system:node:edge-t may not tunnel nodes "other"/);
    const admin = await dialTunnel(server, 'edge-t', server.token);
    assert.equal(admin.status, 403);
    assert.match((JSON.parse(admin.body) as { message: string }).message, /only that node's own credential may/);
  });
});

/** Ask for a node's tunnel upgrade; the status (101 when it was granted) and the error body. */
function dialTunnel(server: TestServer, node: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(`/apis/lantern.dev/v1/nodes/${node}/tunnel`, server.url), {
      ca: server.ca, agent: false, headers: { authorization: `Bearer ${token}`, connection: 'Upgrade', upgrade: 'lantern-tunnel' },
    });
    req.on('upgrade', (_res, socket) => { socket.destroy(); resolve({ status: 101, body: '' }); });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** POST a file (an image archive) with the admin token. */
function postArchive(server: TestServer, p: string, file: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(server.url + p, { method: 'POST', ca: server.ca, headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/x-tar' } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    createReadStream(file).pipe(req);
  });
}
