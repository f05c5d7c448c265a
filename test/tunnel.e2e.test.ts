import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import https from 'node:https';
import { TestServer, busyboxArchive } from './harness/lanternd.js';
import { RemoteAgent } from './harness/remote-agent.js';
import { dialTunnel, runPodOn, waitNodeReady } from './harness/remote-nodes.js';

interface Images { items: { node: string; names: string[] }[] }

describe("logs, exec and stats of a remote agent's pod go through the agent's tunnel", { timeout: 240_000 }, () => {
  const server = new TestServer(['--no-agent'], { https: true });
  const agent = new RemoteAgent(server, 'edge-t', { waitReady: false });

  before(async () => {
    await server.start();
    await agent.start();
  });

  after(async () => {
    await agent.remove('remote');
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
    await waitNodeReady(server, 'edge-t', () => agent.log);
    const pod = await runPodOn(server, 'remote', 'edge-t');
    assert.equal(pod.spec.nodeName, 'edge-t');
  });

  test('lcctl logs, exec (exit code), exec -i and stats work through the server', async () => {
    await server.until(`the tunnel is up (agent log: ${agent.log})`, async () => (await server.lcctl(['logs', 'remote'])).code === 0, 30_000);
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
    await agent.kill9();
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

    await agent.start();
    await server.until(`the tunnel is back (agent log: ${agent.log})`, async () => {
      const r = await server.lcctl(['exec', 'remote', 'true']);
      return r.code === 0;
    }, 90_000);
    await works();
  });

  test("only a node's own credential opens its tunnel", async () => {
    const cred = agent.credential();
    const other = await dialTunnel(server, 'other', cred);
    assert.equal(other.status, 403);
    assert.match((JSON.parse(other.body) as { message: string }).message, /system:node:edge-t may not tunnel nodes "other"/);
    const admin = await dialTunnel(server, 'edge-t', server.token);
    assert.equal(admin.status, 403);
    assert.match((JSON.parse(admin.body) as { message: string }).message, /only that node's own credential may/);
  });
});

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
