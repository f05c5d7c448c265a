import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { EncryptionStatus } from '../encryption/status.js';
import type { SecretsEncryptionAdmin } from './secrets-encryption.js';
import { ADMIN, NODE, startChainServer, type ChainServer } from './chain/test-server.js';

const status: EncryptionStatus = {
  enabled: true, stage: 'start', currentKey: { type: 'aesgcm', name: 'k1' }, keys: [{ type: 'aesgcm', name: 'k1', active: true, secrets: 0 }],
  secrets: { total: 0, current: 0, olderKeys: 0, plain: 0, unknownKeys: 0 }, configFile: { path: '/d/cred/encryption-config.json', exists: true, inUse: true },
};

function call(port: number, method: string, path: string, token?: string): Promise<{ status: number; body: { code?: string; message?: string } & Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent: false, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as { code?: string } }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('secrets-encryption routes', () => {
  const calls: string[] = [];
  const admin: SecretsEncryptionAdmin = {
    status: async () => { calls.push('status'); return status; },
    rotateKeys: async () => { calls.push('rotate-keys'); return { key: { type: 'aesgcm', name: 'k2' }, status }; },
    reencrypt: async (o) => { calls.push(`reencrypt keepOldKeys=${o.keepOldKeys === true}`); return { rewritten: 0, removedKeys: [], status }; },
  };
  let srv: ChainServer;
  before(async () => { srv = await startChainServer({ secretsEncryption: admin }); });
  after(() => srv.close());
  const base = '/apis/lantern.dev/v1/secrets-encryption';

  test('the admin gets the status and runs rotate-keys and reencrypt (skip=true keeps old keys)', async () => {
    calls.length = 0;
    const s = await call(srv.port, 'GET', base, ADMIN);
    assert.equal(s.status, 200);
    assert.deepEqual(s.body, status);
    assert.equal((await call(srv.port, 'POST', `${base}/rotate-keys`, ADMIN)).body.key !== undefined, true);
    assert.equal((await call(srv.port, 'POST', `${base}/reencrypt`, ADMIN)).status, 200);
    assert.equal((await call(srv.port, 'POST', `${base}/reencrypt?skip=true`, ADMIN)).status, 200);
    assert.deepEqual(calls, ['status', 'rotate-keys', 'reencrypt keepOldKeys=false', 'reencrypt keepOldKeys=true']);
  });

  test('a node credential is refused (403) and no token is 401; nothing runs', async () => {
    calls.length = 0;
    for (const [method, path] of [['GET', base], ['POST', `${base}/rotate-keys`], ['POST', `${base}/reencrypt`]] as const) {
      const r = await call(srv.port, method, path, NODE);
      assert.equal(r.status, 403, `${method} ${path}: ${JSON.stringify(r.body)}`);
      assert.match(r.body.message ?? '', /system:node:edge-1 may not (get|update) secrets-encryption/);
      assert.equal((await call(srv.port, method, path)).status, 401);
    }
    assert.deepEqual(calls, []);
  });

  test('a wrong method, operation or skip value says what to use', async () => {
    const m = await call(srv.port, 'POST', base, ADMIN);
    assert.deepEqual([m.status, m.body.message], [405, `POST ${base}: use GET`]);
    const g = await call(srv.port, 'GET', `${base}/rotate-keys`, ADMIN);
    assert.equal(g.status, 405);
    const n = await call(srv.port, 'POST', `${base}/rotate`, ADMIN);
    assert.equal(n.status, 404);
    assert.match(n.body.message ?? '', /no secrets-encryption operation "rotate": use GET .*rotate-keys or .*reencrypt/);
    const b = await call(srv.port, 'POST', `${base}/reencrypt?skip=yes`, ADMIN);
    assert.deepEqual([b.status, b.body.message], [400, 'skip="yes": use true or false']);
  });
});
