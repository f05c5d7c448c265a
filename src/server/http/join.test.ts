import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, type SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { ApiService } from '../api-service.js';
import { NodeRegistry } from '../node-registry.js';
import { NodeCredentials } from '../node-credentials.js';
import { TokenAuthenticator } from './auth.js';
import { createApiServer } from './server.js';

const ADMIN = 'test-admin-token';
const JOIN = 'test-join-token';
const node = (name: string): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } });
const pod = (name: string, nodeName: string): Record<string, unknown> =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName, containers: [{ name: 'c', image: 'busybox' }] } });

describe('node join endpoint and node credentials', () => {
  let dir: string;
  let store: SqliteStore;
  let server: Server;
  let base: string;

  const start = async (): Promise<void> => {
    store = await openSqliteStore(join(dir, 'state.db'));
    const creds = new NodeCredentials(store);
    const auth = new TokenAuthenticator((t) => creds.identify(t));
    auth.add(ADMIN, { name: 'admin', role: 'admin' });
    auth.add(JOIN, { name: 'node-join-token', role: 'join' });
    server = createApiServer({ api: new ApiService(store), nodes: new NodeRegistry(), auth, version: 't', caCert: 'PEM', issueNodeCredential: (n) => creds.issue(n) });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const stop = async (): Promise<void> => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await store.close();
  };
  const call = async (token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: { token?: string; message?: string } }> => {
    const res = await fetch(base + path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: await res.json() as { token?: string; message?: string } };
  };
  const joinAs = async (name: string): Promise<string> => {
    const r = await call(JOIN, 'POST', '/apis/lantern.dev/v1/nodes/join', { nodeName: name });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.match(r.body.token ?? '', new RegExp(`^lt-node:${name}:`));
    return r.body.token!;
  };

  before(async () => { dir = await mkdtemp(join(tmpdir(), 'lantern-join-')); await start(); });
  after(async () => { await stop(); await rm(dir, { recursive: true, force: true }); });

  test('GET /cacerts needs no token', async () => {
    const res = await fetch(`${base}/cacerts`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'PEM');
  });

  test('the join token may only join; a bad node name or a bad token is refused', async () => {
    assert.equal((await call(JOIN, 'GET', '/api/v1/nodes')).status, 403);
    assert.equal((await call('nope', 'POST', '/apis/lantern.dev/v1/nodes/join', { nodeName: 'a' })).status, 401);
    assert.equal((await call(JOIN, 'POST', '/apis/lantern.dev/v1/nodes/join', { nodeName: 'Bad_Name' })).status, 400);
  });

  test('a joined node may write only its own Node and the pods bound to it', async () => {
    const cred = await joinAs('edge-1');
    assert.equal((await call(cred, 'POST', '/api/v1/nodes', node('edge-1'))).status, 201);
    assert.equal((await call(ADMIN, 'POST', '/api/v1/nodes', node('edge-2'))).status, 201);
    const other = await call(cred, 'POST', '/api/v1/nodes', node('edge-3'));
    assert.equal(other.status, 403);
    assert.match(other.body.message ?? '', /system:node:edge-1 may not create nodes "edge-3"/);
    const edge2 = await call(cred, 'GET', '/api/v1/nodes/edge-2');
    assert.equal(edge2.status, 200);
    assert.equal((await call(cred, 'PUT', '/api/v1/nodes/edge-2', edge2.body)).status, 403);

    assert.equal((await call(ADMIN, 'POST', '/api/v1/namespaces/default/pods', pod('mine', 'edge-1'))).status, 201);
    assert.equal((await call(ADMIN, 'POST', '/api/v1/namespaces/default/pods', pod('theirs', 'edge-2'))).status, 201);
    assert.equal((await call(cred, 'POST', '/api/v1/namespaces/default/pods', pod('new', 'edge-1'))).status, 403);
    assert.equal((await call(cred, 'DELETE', '/api/v1/namespaces/default/pods/theirs?gracePeriodSeconds=0')).status, 403);
    assert.equal((await call(cred, 'DELETE', '/api/v1/namespaces/default/pods/mine?gracePeriodSeconds=0')).status, 200);
    assert.equal((await call(cred, 'GET', '/api/v1/pods?watch=1')).status, 403);
  });

  test('credentials survive a restart, and joining again with the same name rotates them', async () => {
    const first = await joinAs('edge-4');
    await stop();
    await start();
    assert.equal((await call(first, 'GET', '/api/v1/nodes')).status, 200);
    const second = await joinAs('edge-4');
    assert.notEqual(second, first);
    assert.equal((await call(first, 'GET', '/api/v1/nodes')).status, 401);
    assert.equal((await call(second, 'GET', '/api/v1/nodes')).status, 200);
  });
});
