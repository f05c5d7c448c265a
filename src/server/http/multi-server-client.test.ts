/** MultiServerClient (client/multi-server.ts) against real API servers over one store, as HA servers on one etcd. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { ApiObject } from '../../api/meta.js';
import { ApiError } from '../../api/errors.js';
import { createApiServer } from './server.js';
import { TokenAuthenticator } from './auth.js';
import { NodeRegistry } from '../node-registry.js';
import { startTestHttpServer, type TestHttpServer } from '../../testing/http-server.js';
import { HttpClient } from '../../client/http-client.js';
import { MultiServerClient, clientFor, serverList } from '../../client/multi-server.js';
import { eventually } from '../../testing/eventually.js';

const TOKEN = 'h3-multi-admin';
interface ConfigMap extends ApiObject { data?: Record<string, string> }
const cm = (name: string, data: Record<string, string>): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data });

const listen = async (server: http.Server): Promise<string> => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};
const close = async (server: http.Server): Promise<void> => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
};

/** A port nobody listens on: connections to it are refused. */
async function deadUrl(): Promise<string> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

// Servers A and B: two API servers over one store, as two lanternd servers on one etcd.
let a: TestHttpServer;
let b: http.Server;
let bUrl: string;
// "Resetter": applies a create through A, then drops the connection before answering.
let resetter: http.Server;
let resetterUrl: string;

before(async () => {
  const auth = new TokenAuthenticator();
  auth.add(TOKEN, { name: 'admin', role: 'admin' });
  a = await startTestHttpServer((t) => ({ api: t.api, nodes: new NodeRegistry(), auth, version: 'test' }), { prefix: 'lantern-h3-multi-' });
  b = createApiServer({ api: a.t.api, nodes: new NodeRegistry(), auth, version: 'test' });
  bUrl = await listen(b);
  const direct = new HttpClient({ server: a.url, token: TOKEN });
  resetter = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => { body += d.toString(); });
    req.on('end', () => {
      void direct.create('configmaps', JSON.parse(body) as ConfigMap).catch(() => undefined).then(() => res.socket?.destroy());
    });
  });
  resetterUrl = await listen(resetter);
});
after(async () => {
  await close(resetter);
  await close(b);
  await a.close();
});

describe('one client over several servers', () => {
  test('a list in --server or LANTERN_SERVER', () => {
    assert.deepEqual(serverList(' https://a:6443/, https://b:6443 ,'), ['https://a:6443', 'https://b:6443']);
    assert.ok(clientFor({ server: 'http://a:1,http://b:1', token: 't' }) instanceof MultiServerClient);
    assert.ok(!(clientFor({ server: 'http://a:1', token: 't' }) instanceof MultiServerClient));
  });

  test('a request to a server that refuses moves on to the next; the client stays there', async () => {
    const dead = await deadUrl();
    const client = new MultiServerClient({ server: '', token: TOKEN }, [dead, a.url, bUrl]);
    const moves: string[] = [];
    client.onMove((from) => moves.push(from));
    const made = await client.create('configmaps', cm('h3-first', { k: 'v' }));
    assert.equal(made.metadata.name, 'h3-first');
    assert.equal(client.server, a.url);
    assert.equal(client.config.server, a.url, 'whoever dials by config.server (the tunnel) follows');
    assert.deepEqual(moves, [dead]);
    assert.equal((await client.get<ConfigMap>('configmaps', 'h3-first', 'default')).data?.k, 'v');
  });

  test('when every server refuses, the request fails with the last error after a few rounds', async () => {
    const client = new MultiServerClient({ server: '', token: TOKEN }, [await deadUrl(), await deadUrl()]);
    await assert.rejects(client.list('configmaps', 'default'), (e: unknown) => e instanceof ApiError && e.code === 'Unavailable');
  });

  test('a create applied before its connection broke is not made twice: the resend\'s AlreadyExists is our own object', async () => {
    const client = new MultiServerClient({ server: '', token: TOKEN }, [resetterUrl, bUrl]);
    const made = await client.create('configmaps', cm('h3-reset', { k: 'once' }));
    assert.equal(made.data?.k, 'once');
    assert.equal(client.server, bUrl);
    const all = await new HttpClient({ server: bUrl, token: TOKEN }).list<ConfigMap>('configmaps', 'default');
    assert.equal(all.items.filter((i) => i.metadata.name === 'h3-reset').length, 1);
  });

  test('someone else\'s object under that name is still a conflict', async () => {
    await new HttpClient({ server: bUrl, token: TOKEN }).create('configmaps', cm('h3-taken', { k: 'theirs' }));
    const client = new MultiServerClient({ server: '', token: TOKEN }, [await deadUrl(), bUrl]);
    await assert.rejects(client.create('configmaps', cm('h3-taken', { k: 'mine' })), (e: unknown) => e instanceof ApiError && e.code === 'AlreadyExists');
  });

  test('a watch on a server that dies ends; watching again through the client reaches the next server', async () => {
    const auth = new TokenAuthenticator();
    auth.add(TOKEN, { name: 'admin', role: 'admin' });
    const c = createApiServer({ api: a.t.api, nodes: new NodeRegistry(), auth, version: 'test' });
    const cUrl = await listen(c);
    const client = new MultiServerClient({ server: '', token: TOKEN }, [cUrl, bUrl]);
    const start = await client.list('configmaps', 'default');
    const seen: string[] = [];
    const w = client.watch<ConfigMap>('configmaps', 'default', { resourceVersion: start.metadata.resourceVersion }, (e) => seen.push(e.object.metadata.name));
    await client.create('configmaps', cm('h3-before', {}));
    await eventually('the watch on the first server sees h3-before', () => seen.includes('h3-before'));
    assert.equal(client.server, cUrl);
    await close(c);
    await assert.rejects(w.done);
    await client.create('configmaps', cm('h3-after', {}));
    const again: string[] = [];
    const w2 = client.watch<ConfigMap>('configmaps', 'default', { resourceVersion: start.metadata.resourceVersion }, (e) => again.push(e.object.metadata.name));
    await eventually('the watch resumed from its resourceVersion on the next server sees h3-before and h3-after', () => again.includes('h3-before') && again.includes('h3-after'));
    w2.stop();
    assert.equal(client.server, bUrl);
  });
});
