import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.js';
import { ApiService } from '../server/api-service.js';
import { NodeRegistry } from '../server/node-registry.js';
import { NodeCredentials } from '../server/node-credentials.js';
import { TokenAuthenticator } from '../server/http/auth.js';
import { createApiServer } from '../server/http/server.js';
import { HttpClient } from '../client/http-client.js';
import { serverSecurity } from './security.js';
import { joinServer } from './join.js';

describe('agent join over HTTPS', () => {
  let dir: string;
  let store: SqliteStore;
  let server: Server;
  let url: string;
  let joinToken: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lantern-agent-join-'));
    const sec = await serverSecurity(path.join(dir, 'server'), { insecureHttp: false, tlsSans: [] });
    joinToken = sec.joinToken;
    store = await openSqliteStore(path.join(dir, 'state.db'));
    const creds = new NodeCredentials(store);
    const auth = new TokenAuthenticator((t) => creds.identify(t));
    auth.add(joinToken, { name: 'node-join-token', role: 'join' });
    server = createApiServer({ api: new ApiService(store), nodes: new NodeRegistry(), auth, version: 't', tls: sec.tls, caCert: sec.caCert, issueNodeCredential: (n) => creds.issue(n) });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('the token in DATA_DIR/node-token pins the CA the server serves', async () => {
    assert.equal((await readFile(path.join(dir, 'server/node-token'), 'utf8')).trim(), joinToken);
    assert.match(joinToken, /^K10[0-9a-f]{64}::node:[0-9a-f]+$/);
  });

  test('joins, stores a private credential and a verified CA, and reuses the credential next time', async () => {
    const agentDir = path.join(dir, 'agent-a');
    const cfg = await joinServer({ server: url, token: joinToken, nodeName: 'edge-1', dataDir: agentDir });
    const credFile = path.join(agentDir, 'node-credential');
    assert.equal((await readFile(credFile, 'utf8')).trim(), cfg.token);
    assert.equal((await stat(credFile)).mode & 0o777, 0o600);
    assert.ok(cfg.ca);
    // The client verifies the server against the pinned CA from here on.
    const client = new HttpClient(cfg);
    await client.create('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'edge-1' } });
    const again = await joinServer({ server: url, token: joinToken, nodeName: 'edge-1', dataDir: agentDir });
    assert.equal(again.token, cfg.token);
  });

  test('a token pinning another CA refuses to join and writes no credential', async () => {
    const agentDir = path.join(dir, 'agent-b');
    const wrong = joinToken.replace(/^K10[0-9a-f]{64}/, `K10${'0'.repeat(64)}`);
    await assert.rejects(joinServer({ server: url, token: wrong, nodeName: 'edge-2', dataDir: agentDir }), /refusing to join .*but the join token pins 0{64}/);
    await assert.rejects(stat(path.join(agentDir, 'node-credential')), { code: 'ENOENT' });
  });
});
