import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { openTestApi, type TestApi } from '../testing/api.js';
import { NodeCredentials } from './node-credentials.js';
import { JOIN, NODE, NODE_NAME, startChainServer, type ChainServer } from './http/chain/test-server.js';
import { agentVersionHeader, parseVersion, skewProblem } from './version-skew.js';

describe('the version skew policy', () => {
  test('an agent may be as new as its server or one minor older, never newer, never two older', () => {
    assert.equal(skewProblem('0.3.0', '0.3.0'), undefined);
    assert.equal(skewProblem('0.3.1', '0.3.4'), undefined, 'an older patch');
    assert.equal(skewProblem('0.2.9', '0.3.0'), undefined, 'one minor older');
    assert.equal(skewProblem('v1.31.2', '1.32.0+build'), undefined, 'v prefix and build metadata');
    assert.match(skewProblem('0.4.0', '0.3.0') ?? '', /^the agent is newer than the server \(agent 0\.4\.0, server 0\.3\.0\): agents may be as new as the server or 1 minor version older/);
    assert.match(skewProblem('0.3.2', '0.3.1') ?? '', /newer than the server/, 'a newer patch');
    assert.match(skewProblem('0.1.0', '0.3.0') ?? '', /the agent is 2 minor versions older than the server \(agent 0\.1\.0, server 0\.3\.0\)/);
    assert.match(skewProblem('1.0.0', '2.0.0') ?? '', /differ in major version/);
    assert.match(skewProblem('banana', '0.3.0') ?? '', /not MAJOR\.MINOR\.PATCH/);
    assert.equal(skewProblem('0.1.0', 'test'), undefined, 'a server version that is not a release does not check');
    assert.equal(parseVersion('1.2'), undefined);
  });
});

describe('the version skew policy at join and at the tunnel (a 0.3.0 server)', () => {
  let t: TestApi;
  let s: ChainServer;
  before(async () => {
    t = await openTestApi({ prefix: 'h4-skew-' });
    s = await startChainServer({ api: t.api, version: '0.3.0', joins: { credentials: new NodeCredentials(t.store) } });
  });
  after(async () => { await s.close(); await t.close(); });

  const join = async (body: Record<string, unknown>, token = JOIN): Promise<{ status: number; message: string }> => {
    const res = await fetch(`${s.base}/apis/lantern.dev/v1/nodes/join`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const answer = await res.json() as { message?: string };
    return { status: res.status, message: answer.message ?? '' };
  };
  const secret = 'h4'.repeat(20);

  test('a join names both versions and the policy when the agent is too old or newer; one minor older joins', async () => {
    const old = await join({ nodeName: 'h4-old', nodeSecret: secret, version: '0.1.0' });
    assert.equal(old.status, 403);
    assert.match(old.message, /version skew: the agent is 2 minor versions older than the server \(agent 0\.1\.0, server 0\.3\.0\): .*upgrade the servers first/);
    const newer = await join({ nodeName: 'h4-new', nodeSecret: secret, version: '0.4.0' });
    assert.equal(newer.status, 403);
    assert.match(newer.message, /the agent is newer than the server \(agent 0\.4\.0, server 0\.3\.0\)/);
    assert.equal((await join({ nodeName: 'h4-ok', nodeSecret: secret, version: '0.2.5' })).status, 201);
    assert.equal((await join({ nodeName: 'h4-unversioned', nodeSecret: secret })).status, 201, 'an agent from before the check joins');
  });

  test('a version that is not MAJOR.MINOR.PATCH is refused with its field; no token is refused before any version talk', async () => {
    const bad = await join({ nodeName: 'h4-bad', nodeSecret: secret, version: 'banana' });
    assert.equal(bad.status, 422);
    assert.match(bad.message, /^version: must be the agent's version, MAJOR\.MINOR\.PATCH/);
    assert.equal((await join({ nodeName: 'h4-bad', nodeSecret: secret, version: 7 })).status, 422);
    assert.equal((await join({ nodeName: 'h4-anon', nodeSecret: secret, version: '0.1.0' }, 'not-a-token')).status, 401);
  });

  const offerTunnel = (version: string): Promise<{ status: number; body: string }> => new Promise((resolve, reject) => {
    const req = http.request(`${s.base}/apis/lantern.dev/v1/nodes/${NODE_NAME}/tunnel`, {
      headers: { authorization: `Bearer ${NODE}`, connection: 'Upgrade', upgrade: 'lantern-tunnel', [agentVersionHeader]: version },
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

  test('a running agent whose server moved two minors ahead cannot re-form its tunnel; one minor behind can', async () => {
    const refused = await offerTunnel('0.1.0');
    assert.equal(refused.status, 403);
    assert.match(refused.body, /agent 0\.1\.0, server 0\.3\.0/);
    assert.equal((await offerTunnel('0.2.0')).status, 101);
  });
});
