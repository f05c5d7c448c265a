/**
 * HA registry: two servers' registries over one store. An image pushed through one is pulled through
 * the other (fetched, verified, then kept), a tag moved or deleted through one is seen by the other,
 * and a caller who may not pull cannot make a server reach its peers.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openBuiltinRegistry, type RegistryCaller } from '../../registry/index.js';
import { openSqliteStore, type SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { serverRecordPrefix } from '../../server/tunnel/peer-servers.js';
import { RegistryHa } from './registry-ha.js';

const callers: Record<string, RegistryCaller> = {
  'h5-admin': { name: 'admin', role: 'admin' },
  'h5-node': { name: 'system:node:n1', role: 'node' },
  'h5-join': { name: 'node-join-token', role: 'join' },
  // Users as RBAC decides (the registry's user-access.ts): one may pull h5/private, one may do nothing.
  'h5-reader': { name: 'h5-reader', role: 'user', authorizer: { decide: (_u, a) => ({ allowed: a.verb === 'get' && a.name === 'h5/private', reason: 'test rule' }) } },
  'h5-nobody': { name: 'h5-nobody', role: 'user', authorizer: { decide: () => ({ allowed: false, reason: 'no rule' }) } },
};
const sha = (b: Buffer | string): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

interface Server { url: string; http: http.Server; ha: RegistryHa; local: Awaited<ReturnType<typeof openBuiltinRegistry>>['local'] }
let dir = '';
let store: SqliteStore;
const servers: Server[] = [];

async function startServer(i: number): Promise<Server> {
  const opened = await openBuiltinRegistry(path.join(dir, `r${i}`));
  const ha = new RegistryHa(opened, () => undefined);
  ha.attach({ store, token: () => 'h5-admin', ca: undefined });
  const srv = http.createServer((req, res) => {
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    void ha.handler(req, res, token === undefined ? undefined : callers[token]);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const addr = srv.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  await store.create(`${serverRecordPrefix}h5-s${i}`, JSON.stringify({ name: `h5-s${i}`, url, credentialSha256: '0'.repeat(64), since: new Date().toISOString() }));
  return { url, http: srv, ha, local: opened.local };
}

const call = (s: Server, p: string, init: RequestInit & { token?: string } = {}): Promise<Response> => {
  const headers = new Headers(init.headers);
  if (init.token !== 'none') headers.set('authorization', `Bearer ${init.token ?? 'h5-admin'}`);
  return fetch(new URL(p, s.url), { ...init, headers });
};

/** Push a one-layer image through `s` under `tag`; its manifest's digest. */
async function push(s: Server, name: string, tag: string, layerText: string): Promise<string> {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
  const layer = Buffer.from(layerText);
  for (const b of [config, layer]) {
    const r = await call(s, `/v2/${name}/blobs/uploads/?digest=${sha(b)}`, { method: 'POST', body: new Uint8Array(b) });
    assert.equal(r.status, 201, await r.text());
  }
  const manifest = JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha(layer), size: layer.length }],
  });
  const r = await call(s, `/v2/${name}/manifests/${tag}`, { method: 'PUT', body: manifest, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } });
  assert.equal(r.status, 201, await r.text());
  assert.equal(r.headers.get('docker-content-digest'), sha(manifest));
  return sha(manifest);
}

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'h5-registry-ha-'));
  store = await openSqliteStore(path.join(dir, 'store.db'));
  servers.push(await startServer(1), await startServer(2));
});

after(async () => {
  for (const s of servers) { s.http.closeAllConnections(); await new Promise((r) => s.http.close(r)); }
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('registry across servers', () => {
  test('an image pushed through server 1 is pulled through server 2, which then keeps its own verified copy', async () => {
    const [s1, s2] = servers as [Server, Server];
    const digest = await push(s1, 'team/app', 'v1', 'h5 layer one');
    assert.equal(await s2.local.has('team/app', digest), false);
    const m = await call(s2, '/v2/team/app/manifests/v1', { token: 'h5-node' });
    assert.equal(m.status, 200);
    assert.equal(m.headers.get('docker-content-digest'), digest);
    const layer = (JSON.parse(await m.text()) as { layers: { digest: string }[] }).layers[0]!.digest;
    const blob = await call(s2, `/v2/team/app/blobs/${layer}`, { token: 'h5-node' });
    assert.equal(await blob.text(), 'h5 layer one');
    assert.equal(await s2.local.has('team/app', digest), true, 'server 2 stored the manifest');
    assert.equal(await s2.local.has('team/app', layer), true, 'and its layers');
  });

  test('a tag moved through server 2 is what server 1 serves; a tag deleted through one is gone on both', async () => {
    const [s1, s2] = servers as [Server, Server];
    const next = await push(s2, 'team/app', 'v1', 'h5 layer two');
    const m = await call(s1, '/v2/team/app/manifests/v1');
    assert.equal(m.headers.get('docker-content-digest'), next, 'server 1 follows the shared tag, not its own older one');
    const list = await (await call(s2, '/v2/team/app/tags/list')).json() as { tags: string[] };
    assert.deepEqual(list.tags, ['v1']);
    assert.equal((await call(s2, '/v2/team/app/manifests/v1', { method: 'DELETE' })).status, 202);
    assert.equal((await call(s1, '/v2/team/app/manifests/v1')).status, 404, 'server 1 no longer serves the deleted tag');
    await push(s1, 'team/app', 'v2', 'h5 layer three');
    const after2 = await (await call(s2, '/v2/team/app/tags/list')).json() as { tags: string[] };
    assert.deepEqual(after2.tags, ['v2'], 'tags/list shows the shared tags less the deleted ones');
  });

  test('by digest too: a manifest pulled by digest through the other server', async () => {
    const [s1, s2] = servers as [Server, Server];
    const digest = await push(s2, 'h5/bydigest', 'x', 'h5 layer four');
    const m = await call(s1, `/v2/h5/bydigest/manifests/${digest}`, { method: 'HEAD' });
    assert.equal(m.status, 200);
  });

  test('a caller who may not pull gets 401/403 and no peer is asked; a user RBAC allows pulls; a node may not push', async () => {
    const [s1, s2] = servers as [Server, Server];
    const digest = await push(s1, 'h5/private', 'v1', 'h5 secret layer');
    assert.equal((await call(s2, '/v2/h5/private/manifests/v1', { token: 'none' })).status, 401);
    assert.equal((await call(s2, '/v2/h5/private/manifests/v1', { token: 'h5-join' })).status, 403);
    assert.equal((await call(s2, '/v2/h5/private/manifests/v1', { token: 'h5-nobody' })).status, 403);
    assert.equal(await s2.local.has('h5/private', digest), false, 'nothing was fetched for them');
    assert.equal((await call(s2, '/v2/h5/private/manifests/v1', { token: 'h5-reader' })).status, 200, 'a user RBAC lets pull is served from the peer');
    const r = await call(s2, '/v2/h5/private/manifests/v9', { method: 'PUT', token: 'h5-node', body: '{}', headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } });
    assert.equal(r.status, 403);
  });

  test('a missing image with no peer holding it is a plain 404', async () => {
    const s2 = servers[1]!;
    assert.equal((await call(s2, '/v2/h5/none/manifests/v1')).status, 404);
    assert.equal((await call(s2, `/v2/h5/none/blobs/${sha('nothing')}`)).status, 404);
  });
});
