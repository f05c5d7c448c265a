import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, type SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { ApiService } from '../api-service.js';
import { NodeRegistry } from '../node-registry.js';
import { NodeCredentials, nodeCredentialPrefix } from '../node-credentials.js';
import { JoinTokens } from '../join-tokens.js';
import { JoinRateLimiter } from '../join-rate-limit.js';
import { revokeOnNodeDelete } from '../node-revocation.js';
import { TokenAuthenticator } from './auth.js';
import { createApiServer } from './server.js';

const ADMIN = 'test-admin-token';
const JOIN = 'test-join-token';
const SECRET = 'a'.repeat(64);
const OTHER_SECRET = 'b'.repeat(64);
const node = (name: string): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } });
const pod = (name: string, nodeName: string): Record<string, unknown> =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName, containers: [{ name: 'c', image: 'busybox' }] } });

interface Answer { token?: string; message?: string; items?: Record<string, unknown>[]; id?: string }

describe('node join endpoint, node secrets and node credentials', () => {
  let dir: string;
  let store: SqliteStore;
  let server: Server;
  let base: string;
  let creds: NodeCredentials;
  let clock = Date.parse('2030-01-01T00:00:00Z');

  const start = async (limiter?: JoinRateLimiter): Promise<void> => {
    store = await openSqliteStore(join(dir, 'state.db'));
    creds = new NodeCredentials(store);
    await creds.reserve('server-node');
    const joinTokens = new JoinTokens(store, 'f'.repeat(64), () => clock);
    const auth = new TokenAuthenticator(async (t, c) => await creds.identify(t, c) ?? await joinTokens.identify(t));
    auth.add(ADMIN, { name: 'admin', role: 'admin' });
    auth.add(JOIN, { name: 'node-join-token', role: 'join' });
    server = createApiServer({
      api: revokeOnNodeDelete(new ApiService(store), creds), nodes: new NodeRegistry(), auth, version: 't', caCert: 'PEM',
      joins: { credentials: creds, ...(limiter ? { limiter } : {}) }, credentials: { joinTokens, nodeCredentials: creds },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const stop = async (): Promise<void> => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await store.close();
  };
  const call = async (token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Answer; headers: Headers }> => {
    const res = await fetch(base + path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: await res.json() as Answer, headers: res.headers };
  };
  const joinAs = async (name: string, extra: Record<string, unknown> = { nodeSecret: SECRET }, token = JOIN): Promise<string> => {
    const r = await call(token, 'POST', '/apis/lantern.dev/v1/nodes/join', { nodeName: name, ...extra });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.match(r.body.token ?? '', new RegExp(`^lt-node:${name}:`));
    return r.body.token!;
  };
  const works = async (cred: string): Promise<number> => (await call(cred, 'GET', '/api/v1/nodes')).status;

  before(async () => { dir = await mkdtemp(join(tmpdir(), 'lantern-join-')); await start(); });
  after(async () => { await stop(); await rm(dir, { recursive: true, force: true }); });

  test('GET /cacerts needs no token', async () => {
    const res = await fetch(`${base}/cacerts`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'PEM');
  });

  test('the join token may only join; a bad node name, secret or token is refused', async () => {
    assert.equal((await call(JOIN, 'GET', '/api/v1/nodes')).status, 403);
    assert.equal((await call('nope', 'POST', '/apis/lantern.dev/v1/nodes/join', { nodeName: 'a' })).status, 401);
    assert.equal((await call(JOIN, 'POST', '/apis/lantern.dev/v1/nodes/join', { nodeName: 'Bad_Name' })).status, 422);
    const short = await call(JOIN, 'POST', '/apis/lantern.dev/v1/nodes/join', { nodeName: 'a', nodeSecret: 'short' });
    assert.equal(short.status, 422);
    assert.match(short.body.message ?? '', /nodeSecret/);
  });

  test('a joined node may write only its own Node and the pods bound to it', async () => {
    const cred = await joinAs('edge-1');
    assert.equal((await call(cred, 'POST', '/api/v1/nodes', node('edge-1'))).status, 201);
    assert.equal((await call(ADMIN, 'POST', '/api/v1/nodes', node('edge-2'))).status, 201);
    const other = await call(cred, 'POST', '/api/v1/nodes', node('edge-3'));
    assert.equal(other.status, 403);
    assert.match(other.body.message ?? '', /system:node:edge-1 may not create nodes "edge-3"/);
    assert.equal((await call(ADMIN, 'POST', '/api/v1/namespaces/default/pods', pod('mine', 'edge-1'))).status, 201);
    assert.equal((await call(ADMIN, 'POST', '/api/v1/namespaces/default/pods', pod('theirs', 'edge-2'))).status, 201);
    assert.equal((await call(cred, 'DELETE', '/api/v1/namespaces/default/pods/theirs?gracePeriodSeconds=0')).status, 403);
    assert.equal((await call(cred, 'DELETE', '/api/v1/namespaces/default/pods/mine?gracePeriodSeconds=0')).status, 200);
  });

  test('with the join token alone, a joined name cannot be taken over, and the real node keeps its credential', async () => {
    const real = await joinAs('edge-4');
    for (const attempt of [{}, { nodeSecret: OTHER_SECRET }, { nodeSecret: OTHER_SECRET, credential: 'lt-node:edge-4:' + '0'.repeat(48) }]) {
      const r = await call(JOIN, 'POST', '/apis/lantern.dev/v1/nodes/join', { nodeName: 'edge-4', ...attempt });
      assert.equal(r.status, 403, JSON.stringify(attempt));
      assert.match(r.body.message ?? '', /node "edge-4" has already joined, and this join did not prove its node secret .*lcctl node revoke edge-4/);
    }
    assert.equal(await works(real), 200, 'the real node\'s credential is not touched');
  });

  test('the node itself joins again with its secret or its current credential; each join rotates the credential', async () => {
    const first = await joinAs('edge-5');
    await stop();
    await start();
    assert.equal(await works(first), 200, 'credentials survive a restart');
    const second = await joinAs('edge-5');
    assert.notEqual(second, first);
    assert.equal(await works(first), 401);
    assert.equal(await works(second), 200);
    const third = await joinAs('edge-5', { credential: second });
    assert.equal(await works(second), 401);
    assert.equal(await works(third), 200);
  });

  test('a record from before node secrets joins again only with its current credential, which then records a secret', async () => {
    // What an agent of an earlier release left: a credential and no secret hash.
    const legacy = await joinAs('old-1', {});
    const refused = await call(JOIN, 'POST', '/apis/lantern.dev/v1/nodes/join', { nodeName: 'old-1', nodeSecret: SECRET });
    assert.equal(refused.status, 403);
    assert.match(refused.body.message ?? '', /joined before node secrets existed and only its current credential/);
    assert.equal(await works(legacy), 200);
    const adopted = await joinAs('old-1', { nodeSecret: SECRET, credential: legacy });
    assert.equal(await works(adopted), 200);
    assert.equal((await call(JOIN, 'POST', '/apis/lantern.dev/v1/nodes/join', { nodeName: 'old-1', nodeSecret: OTHER_SECRET })).status, 403);
    await joinAs('old-1', { nodeSecret: SECRET });
  });

  test("the server's own node can never be joined, and a credential stored for it earlier stops working", async () => {
    const r = await call(JOIN, 'POST', '/apis/lantern.dev/v1/nodes/join', { nodeName: 'server-node', nodeSecret: SECRET });
    assert.equal(r.status, 403);
    assert.match(r.body.message ?? '', /this server's own node/);
    const stale = await joinAs('later-own');
    await creds.reserve('later-own');
    assert.equal(await works(stale), 401);
    assert.equal(await store.get(nodeCredentialPrefix + 'later-own'), undefined);
  });

  test('revoking a credential (lcctl node revoke) answers the node 401 at once, closes its watch, and frees the name', async () => {
    const cred = await joinAs('edge-6');
    const watchClosed = openWatch(base, cred);
    await watchClosed.opened;
    const r = await call(ADMIN, 'DELETE', '/apis/lantern.dev/v1/nodecredentials/edge-6');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(await works(cred), 401);
    await watchClosed.closed;
    assert.equal((await call(ADMIN, 'DELETE', '/apis/lantern.dev/v1/nodecredentials/edge-6')).status, 404);
    // The secret is forgotten with it: the name joins afresh, with any secret.
    await joinAs('edge-6', { nodeSecret: OTHER_SECRET });
  });

  test('deleting a Node revokes its credential before the delete answers', async () => {
    const cred = await joinAs('edge-7');
    assert.equal((await call(cred, 'POST', '/api/v1/nodes', node('edge-7'))).status, 201);
    assert.equal((await call(ADMIN, 'DELETE', '/api/v1/nodes/edge-7')).status, 200);
    assert.equal(await works(cred), 401);
    const listed = await call(ADMIN, 'GET', '/apis/lantern.dev/v1/nodecredentials');
    assert.ok(!listed.body.items!.some((c) => c.node === 'edge-7'));
    // Deleting a Node that does not exist touches no credential.
    const kept = await joinAs('edge-8');
    assert.equal((await call(ADMIN, 'DELETE', '/api/v1/nodes/edge-8')).status, 404);
    assert.equal(await works(kept), 200);
  });

  test('node credentials are listed with when they were issued and whether they have a node secret, never a hash', async () => {
    const r = await call(ADMIN, 'GET', '/apis/lantern.dev/v1/nodecredentials');
    assert.equal(r.status, 200);
    const edge1 = r.body.items!.find((c) => c.node === 'edge-1');
    assert.deepEqual(Object.keys(edge1 ?? {}).sort(), ['firstJoin', 'lastJoin', 'node', 'nodeSecret', 'via']);
    assert.equal(edge1?.nodeSecret, true);
    assert.equal(edge1?.via, 'node-join-token');
  });

  test('join tokens: made with an expiry and a description, listed without secrets, refused once expired or deleted', async () => {
    const made = await call(ADMIN, 'POST', '/apis/lantern.dev/v1/jointokens', { ttlSeconds: 3600, description: 'rack 4' });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const token = made.body.token!;
    assert.match(token, new RegExp(`^K10${'f'.repeat(64)}::[a-z0-9]{6}\\.[a-z0-9]{16}$`));
    const cred = await joinAs('tok-1', { nodeSecret: SECRET }, token);
    const listed = await call(ADMIN, 'GET', '/apis/lantern.dev/v1/jointokens');
    const item = listed.body.items!.find((t) => t.id === made.body.id);
    assert.equal(item?.description, 'rack 4');
    assert.ok(!JSON.stringify(listed.body).includes(token.split('.')[1]!), 'no secret in the list');
    assert.match(JSON.stringify((await call(ADMIN, 'GET', '/apis/lantern.dev/v1/nodecredentials')).body), new RegExp(`"via":"system:bootstrap:${made.body.id!}"`));
    clock += 3601_000;
    const expired = await call(token, 'POST', '/apis/lantern.dev/v1/nodes/join', { nodeName: 'tok-2', nodeSecret: SECRET });
    assert.equal(expired.status, 401);
    assert.match(expired.body.message ?? '', new RegExp(`join token "${made.body.id!}" expired at .*lcctl token create`));
    assert.equal(await works(cred), 200, 'nodes that joined with it keep their credentials');
    const forever = await call(ADMIN, 'POST', '/apis/lantern.dev/v1/jointokens', { ttlSeconds: 0 });
    await joinAs('tok-3', { nodeSecret: SECRET }, forever.body.token!);
    assert.equal((await call(ADMIN, 'DELETE', `/apis/lantern.dev/v1/jointokens/${forever.body.id!}`)).status, 200);
    assert.equal((await call(forever.body.token!, 'POST', '/apis/lantern.dev/v1/nodes/join', { nodeName: 'tok-4' })).status, 401);
    assert.equal((await call(ADMIN, 'DELETE', `/apis/lantern.dev/v1/jointokens/${forever.body.id!}`)).status, 404);
    assert.equal((await call(ADMIN, 'POST', '/apis/lantern.dev/v1/jointokens', { ttlSeconds: -1 })).status, 422);
    assert.equal((await call(ADMIN, 'POST', '/apis/lantern.dev/v1/jointokens', { description: 'a\nb' })).status, 422);
  });

  test('neither the join token nor a node credential may touch tokens, credentials or the admin token', async () => {
    const cred = await joinAs('edge-9');
    const victim = await joinAs('edge-10');
    const attempts: [string, string][] = [
      ['GET', '/apis/lantern.dev/v1/jointokens'], ['POST', '/apis/lantern.dev/v1/jointokens'], ['DELETE', '/apis/lantern.dev/v1/jointokens/abcdef'],
      ['GET', '/apis/lantern.dev/v1/nodecredentials'], ['DELETE', '/apis/lantern.dev/v1/nodecredentials/edge-10'],
      ['POST', '/apis/lantern.dev/v1/admintoken/rotate'],
    ];
    for (const who of [JOIN, cred]) {
      for (const [method, path] of attempts) {
        const r = await call(who, method, path, method === 'POST' ? {} : undefined);
        assert.equal(r.status, 403, `${method} ${path} as ${who === JOIN ? 'the join token' : 'a node'}: ${JSON.stringify(r.body)}`);
      }
    }
    assert.equal(await works(victim), 200, 'the other node was not revoked');
    // A node may not delete another Node (and so revoke it) either.
    assert.equal((await call(ADMIN, 'POST', '/api/v1/nodes', node('edge-10'))).status, 201);
    assert.equal((await call(cred, 'DELETE', '/api/v1/nodes/edge-10')).status, 403);
    assert.equal(await works(victim), 200);
  });

  test('joins beyond the per-client limit answer 429 with Retry-After, and go through again once the bucket refills', async () => {
    await stop();
    let t = 0;
    await start(new JoinRateLimiter({ perMinute: 3, perClientPerMinute: 2, now: () => t }));
    await joinAs('rate-1');
    await joinAs('rate-2');
    const refused = await call(JOIN, 'POST', '/apis/lantern.dev/v1/nodes/join', { nodeName: 'rate-3', nodeSecret: SECRET });
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '30');
    assert.match(refused.body.message ?? '', /too many node joins: try again in 30s/);
    t += 30_000;
    await joinAs('rate-3');
    await stop();
    await start();
  });
});

/** Open a node's pod watch; resolves `closed` when the server cuts it. */
function openWatch(base: string, token: string): { opened: Promise<void>; closed: Promise<void> } {
  let opened!: () => void;
  const openedP = new Promise<void>((r) => { opened = r; });
  const closed = new Promise<void>((resolve, reject) => {
    const req = http.get(`${base}/api/v1/nodes?watch=1`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      if (res.statusCode !== 200) { reject(new Error(`watch answered ${res.statusCode ?? '?'}`)); return; }
      opened();
      res.on('data', () => undefined);
      res.on('close', () => resolve());
      res.on('error', () => resolve());
    });
    req.on('error', () => resolve());
  });
  return { opened: openedP, closed };
}
