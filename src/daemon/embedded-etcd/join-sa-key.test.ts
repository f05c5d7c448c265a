/**
 * A joining server receives the first server's ServiceAccount signing key (with the CA), so a token
 * one server issues is accepted by every server: the join route and join client end to end over
 * TLS, with etcd's member API faked.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { caHash } from '../pki/join-token.js';
import { sendError } from '../../server/http/respond.js';
import { ServiceAccountTokens, loadServiceAccountKey } from '../../server/identity/sa-tokens.js';
import type { ApiClient } from '../../client/types.js';
import { joinCluster } from './join-client.js';
import { serverJoinHandler, serverJoinPath } from './join-route.js';
import type { ClusterApi } from './members.js';

let dir: string, first: string, second: string, server: https.Server, url: string, ca: string;

const cluster: ClusterApi = {
  memberList: () => Promise.resolve({ members: [{ ID: '1', name: 's1', peerURLs: ['https://10.0.0.1:2380'], clientURLs: [], isLearner: false }] as never }),
  memberAdd: (req) => Promise.resolve({ member: { ID: '2', name: '', peerURLs: req.peerURLs } as never, members: [{ ID: '1', name: 's1', peerURLs: ['https://10.0.0.1:2380'] }, { ID: '2', name: '', peerURLs: req.peerURLs }] as never }),
  memberRemove: () => Promise.resolve({}),
  memberPromote: () => Promise.resolve({}),
};

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'lantern-w1-join-'));
  first = path.join(dir, 'first');
  second = path.join(dir, 'second');
  mkdirSync(path.join(first, 'pki'), { recursive: true });
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=lantern-w1-ca',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '1', '-keyout', path.join(first, 'pki', 'ca.key'), '-out', path.join(first, 'pki', 'ca.crt')], { stdio: 'ignore' });
  ca = readFileSync(path.join(first, 'pki', 'ca.crt'), 'utf8');
  writeFileSync(path.join(first, 'admin-token'), 'admin-secret\n');
  writeFileSync(path.join(first, 'node-token'), 'node-secret\n');
  await loadServiceAccountKey(first); // the first server's key, made at its first start
  const join = serverJoinHandler(first, () => cluster);
  server = https.createServer({ cert: ca, key: readFileSync(path.join(first, 'pki', 'ca.key')) }, (req, res) => {
    if (req.url === '/cacerts') { res.end(ca); return; }
    if (req.url !== serverJoinPath) { res.statusCode = 404; res.end(); return; }
    const admin = req.headers.authorization === 'Bearer admin-secret';
    join(req, res, admin ? { name: 'admin', role: 'admin' } : { name: 'system:node:n1', role: 'node' }).catch((e: unknown) => sendError(res, e));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a joining server gets the ServiceAccount key: a token from server 1 is accepted by server 2', async () => {
  const b = await joinCluster(url, { caHash: caHash(ca), secret: 'admin-secret' }, second, { name: 's2', peerURL: 'https://10.0.0.2:2380' });
  assert.equal(b.serviceAccountKey, readFileSync(path.join(first, 'pki', 'service-account.key'), 'utf8'));
  assert.equal(readFileSync(path.join(second, 'pki', 'service-account.key'), 'utf8'), b.serviceAccountKey);
  // Both servers' verifiers: the ServiceAccount exists with the uid the token names.
  const api = { get: () => Promise.resolve({ metadata: { name: 'default', namespace: 'team', uid: 'sa-uid' } }) } as unknown as ApiClient;
  const one = new ServiceAccountTokens(await loadServiceAccountKey(first), api);
  const two = new ServiceAccountTokens(await loadServiceAccountKey(second), api);
  const { token } = one.issue({ namespace: 'team', name: 'default', uid: 'sa-uid' }, ['https://kubernetes.default.svc.cluster.local'], 600);
  const id = await two.identify(token);
  assert.equal(id?.name, 'system:serviceaccount:team:default');
});

test('the key goes only to the server token: a node credential is refused', async () => {
  await assert.rejects(joinCluster(url, { caHash: caHash(ca), secret: 'node-secret' }, path.join(dir, 'third'), { name: 's3', peerURL: 'https://10.0.0.3:2380' }), /answered 403/);
});
