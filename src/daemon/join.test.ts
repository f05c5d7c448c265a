import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { NodeRegistry } from '../server/node-registry.js';
import { NodeCredentials } from '../server/node-credentials.js';
import { TokenAuthenticator } from '../server/http/auth.js';
import { startTestHttpServer, type TestHttpServer } from '../testing/http-server.js';
import { HttpClient } from '../client/http-client.js';
import { maxRetries } from '../client/retry-after.js';
import { serverSecurity } from './security.js';
import { joinServer, requestJoin } from './join.js';

describe('agent join over HTTPS', () => {
  let dir: string;
  let s: TestHttpServer;
  let url: string;
  let joinToken: string;
  let creds: NodeCredentials;
  const quiet = (): void => undefined;

  before(async () => {
    s = await startTestHttpServer(async (t) => {
      dir = t.dir;
      const sec = await serverSecurity(path.join(dir, 'server'), { insecureHttp: false, tlsSans: [] });
      joinToken = sec.joinToken;
      creds = new NodeCredentials(t.store);
      const auth = new TokenAuthenticator((tok, c) => creds.identify(tok, c));
      auth.add(joinToken, { name: 'node-join-token', role: 'join' });
      return { api: t.api, nodes: new NodeRegistry(), auth, version: 't', tls: sec.tls, caCert: sec.caCert, joins: { credentials: creds } };
    }, { prefix: 'lantern-agent-join-' });
    url = s.url;
  });
  after(async () => { await s.close(); });

  test('the token in DATA_DIR/node-token pins the CA the server serves', async () => {
    assert.equal((await readFile(path.join(dir, 'server/node-token'), 'utf8')).trim(), joinToken);
    assert.match(joinToken, /^K10[0-9a-f]{64}::node:[0-9a-f]+$/);
  });

  test('joins, stores a private credential and a verified CA, and reuses the credential next time', async () => {
    const agentDir = path.join(dir, 'agent-a');
    const cfg = await joinServer({ server: url, token: joinToken, nodeName: 'edge-1', dataDir: agentDir, log: quiet });
    const credFile = path.join(agentDir, 'node-credential');
    assert.equal((await readFile(credFile, 'utf8')).trim(), cfg.token);
    assert.equal((await stat(credFile)).mode & 0o777, 0o600);
    assert.ok(cfg.ca);
    // The client verifies the server against the pinned CA from here on.
    const client = new HttpClient(cfg);
    await client.create('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'edge-1' } });
    const again = await joinServer({ server: url, token: joinToken, nodeName: 'edge-1', dataDir: agentDir, log: quiet });
    assert.equal(again.token, cfg.token);
  });

  test('the node secret is made at the first join (0600) and gets the node back in after it lost its credential', async () => {
    const agentDir = path.join(dir, 'agent-c');
    const first = await joinServer({ server: url, token: joinToken, nodeName: 'edge-3', dataDir: agentDir, log: quiet });
    const secretFile = path.join(agentDir, 'node-secret');
    assert.match((await readFile(secretFile, 'utf8')).trim(), /^[0-9a-f]{64}$/);
    assert.equal((await stat(secretFile)).mode & 0o777, 0o600);
    await rm(path.join(agentDir, 'node-credential'));
    const second = await joinServer({ server: url, token: joinToken, nodeName: 'edge-3', dataDir: agentDir, log: quiet });
    assert.notEqual(second.token, first.token);
    await new HttpClient(second).list('nodes');
    await assert.rejects(new HttpClient(first).list('nodes'), { code: 'Unauthorized' });
  });

  test('another machine with the join token cannot take a joined name: refused, and the real credential still works', async () => {
    const real = await joinServer({ server: url, token: joinToken, nodeName: 'edge-4', dataDir: path.join(dir, 'agent-d'), log: quiet });
    await assert.rejects(joinServer({ server: url, token: joinToken, nodeName: 'edge-4', dataDir: path.join(dir, 'agent-e'), log: quiet }),
      /node "edge-4" has already joined, and this join did not prove its node secret/);
    await new HttpClient(real).list('nodes');
  });

  test('a data dir from before node secrets keeps working and records a secret with the server', async () => {
    const agentDir = path.join(dir, 'agent-f');
    // An earlier agent joined without a secret and kept only its credential.
    const legacy = await creds.join({ nodeName: 'edge-5', caller: { name: 'node-join-token', role: 'join' } });
    await mkdir(agentDir, { recursive: true });
    await writeFile(path.join(agentDir, 'node-credential'), legacy + '\n', { mode: 0o600 });
    const cfg = await joinServer({ server: url, token: joinToken, nodeName: 'edge-5', dataDir: agentDir, log: quiet });
    await new HttpClient(cfg).list('nodes');
    assert.equal((await readFile(path.join(agentDir, 'node-credential'), 'utf8')).trim(), cfg.token);
    assert.equal((await creds.list()).find((c) => c.node === 'edge-5')?.nodeSecret, true);
    // So losing the credential file no longer strands it.
    await rm(path.join(agentDir, 'node-credential'));
    await new HttpClient(await joinServer({ server: url, token: joinToken, nodeName: 'edge-5', dataDir: agentDir, log: quiet })).list('nodes');
  });

  test('a join answered 429 (beyond the client\'s own retries) waits as long as Retry-After says and asks again', async () => {
    let calls = 0;
    const limited = http.createServer((_req, res) => {
      calls++;
      // More 429s than HttpClient retries by itself: the rest is requestJoin's own waiting.
      if (calls <= maxRetries + 1) { res.writeHead(429, { 'retry-after': '0', 'content-type': 'application/json' }); res.end('{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","reason":"TooManyRequests","code":429,"message":"too many node joins"}'); return; }
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end('{"token":"lt-node:edge-9:' + '0'.repeat(48) + '"}');
    });
    await new Promise<void>((r) => limited.listen(0, '127.0.0.1', r));
    try {
      const log: string[] = [];
      const client = new HttpClient({ server: `http://127.0.0.1:${(limited.address() as AddressInfo).port}`, token: 't' });
      assert.match(await requestJoin(client, { nodeName: 'edge-9', nodeSecret: 'x'.repeat(64) }, (m) => log.push(m)), /^lt-node:edge-9:/);
      assert.equal(calls, maxRetries + 2);
      assert.deepEqual(log, ['the server limits joins per minute: joining edge-9 again in 1s']);
    } finally {
      limited.closeAllConnections();
      await new Promise<void>((r) => limited.close(() => r()));
    }
  });

  test('a token pinning another CA refuses to join and writes no credential', async () => {
    const agentDir = path.join(dir, 'agent-b');
    const wrong = joinToken.replace(/^K10[0-9a-f]{64}/, `K10${'0'.repeat(64)}`);
    await assert.rejects(joinServer({ server: url, token: wrong, nodeName: 'edge-2', dataDir: agentDir }), /refusing to join .*but the join token pins 0{64}/);
    await assert.rejects(stat(path.join(agentDir, 'node-credential')), { code: 'ENOENT' });
  });
});
