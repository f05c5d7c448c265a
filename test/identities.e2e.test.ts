/**
 * Identities end to end (issue 17 item 1): users through client certificates and user tokens from
 * `lcctl create user`, read by lcctl (LANTERN_CONFIG) and kubectl (--kubeconfig) alike; whoami for
 * each identity; ServiceAccount tokens (TokenRequest) and who may ask for them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { TestServer } from './harness/lanternd.js';
import { Kubectl } from './harness/kubectl.js';

interface Review { status: { userInfo: { username: string; uid?: string; groups: string[] } } }
interface Status { message?: string }

const server = new TestServer(['--no-agent'], { https: true });
let kubectl: Kubectl;
let dir: string;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'lantern-t1-id-'));
  await server.start();
  kubectl = new Kubectl(server, 'lantern-t1-kubectl-');
});
after(async () => {
  kubectl?.cleanup();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The user config `lcctl create user` prints, written to a file of the test's. */
async function createUser(args: string[]): Promise<string> {
  const r = await server.lcctl(['create', 'user', ...args]);
  assert.equal(r.code, 0, r.stderr);
  const file = path.join(dir, `${args[0]}-${randomBytes(3).toString('hex')}.yaml`);
  writeFileSync(file, r.stdout, { mode: 0o600 });
  return file;
}

async function whoamiAs(config: string): Promise<Review['status']['userInfo']> {
  const r = await server.lcctl(['auth', 'whoami', '-o', 'json'], undefined, { LANTERN_CONFIG: config });
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as Review).status.userInfo;
}

/** A raw HTTPS request with an optional client certificate and token. */
function call(method: string, p: string, o: { cert?: string; key?: string; token?: string; body?: unknown } = {}): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(o.token ? { authorization: `Bearer ${o.token}` } : {}) };
    const req = https.request(server.url + p, { method, headers, ca: server.ca, cert: o.cert, key: o.key, agent: false }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString(); });
      res.on('end', () => { let body: unknown = text; try { body = JSON.parse(text); } catch { /* text */ } resolve({ status: res.statusCode ?? 0, body }); });
    });
    req.on('error', reject);
    req.end(o.body === undefined ? undefined : JSON.stringify(o.body));
  });
}

const review = { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' };
const reviewPath = '/apis/authentication.k8s.io/v1/selfsubjectreviews';

describe('users', () => {
  test('a client certificate user: lcctl and kubectl both read the printed config', async () => {
    const file = await createUser(['alice', '--group', 'dev', '--group', 'ops']);
    const me = await whoamiAs(file);
    assert.equal(me.username, 'alice');
    assert.deepEqual(me.groups, ['dev', 'ops', 'system:authenticated']);
    const k = await kubectl.run(['auth', 'whoami', '-o', 'json'], { kubeconfig: file });
    assert.equal(k.code, 0, k.stderr);
    assert.equal((JSON.parse(k.stdout) as Review).status.userInfo.username, 'alice');
  });

  test('a token user (--with-token): the token is accepted, and the user is not the admin', async () => {
    const file = await createUser(['bob', '--group', 'qa', '--with-token']);
    const me = await whoamiAs(file);
    assert.deepEqual([me.username, me.groups], ['bob', ['qa', 'system:authenticated']]);
    const k = await kubectl.run(['auth', 'whoami'], { kubeconfig: file });
    assert.equal(k.code, 0, k.stderr);
    assert.match(k.stdout, /bob/);
    // A user may not make users (only the admin may), whatever RBAC says.
    const r = await server.lcctl(['create', 'user', 'mallory'], undefined, { LANTERN_CONFIG: file });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /bob|forbidden|Forbidden/);
  });

  test('whoami names the admin', async () => {
    const r = await server.lcctl(['auth', 'whoami']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Username\s+admin/);
    assert.match(r.stdout, /system:masters/);
  });

  test('a certificate from another CA is refused with 401 saying why', async () => {
    const other = path.join(dir, 'other');
    execFileSync('mkdir', ['-p', other]);
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', path.join(other, 'k.pem'), '-out', path.join(other, 'c.pem'), '-subj', '/CN=admin/O=system:masters', '-days', '1'], { stdio: 'ignore' });
    const cert = execFileSync('cat', [path.join(other, 'c.pem')]).toString();
    const key = execFileSync('cat', [path.join(other, 'k.pem')]).toString();
    const r = await call('POST', reviewPath, { cert, key, body: review });
    assert.equal(r.status, 401);
    assert.match((r.body as Status).message ?? '', /client certificate .*not valid/);
  });

  test('bad user requests are 422 naming the field', async () => {
    const r = await call('POST', '/apis/lantern.dev/v1/users', { token: server.token, body: { name: 'system:node:x', groups: ['system:masters'] } });
    assert.equal(r.status, 422);
    assert.match((r.body as Status).message ?? '', /name: .*system:.*groups\[0\]/s);
  });
});

describe('ServiceAccounts', () => {
  const tokenPath = (ns: string, name: string): string => `/api/v1/namespaces/${ns}/serviceaccounts/${name}/token`;

  test('every namespace has a default ServiceAccount', async () => {
    await server.until('the default ServiceAccount', async () => (await server.api('GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200);
    await server.api('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 't1-team' } });
    await server.until('t1-team default ServiceAccount', async () => (await server.api('GET', '/api/v1/namespaces/t1-team/serviceaccounts/default')).status === 200);
  });

  test('a TokenRequest token calls the API as the ServiceAccount until the ServiceAccount goes', async () => {
    await server.api('POST', '/api/v1/namespaces/default/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder' } });
    const made = await server.api<{ status: { token: string; expirationTimestamp: string } }>('POST', tokenPath('default', 'builder'), { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 600 } });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const token = made.body.status.token;
    const me = await call('POST', reviewPath, { token, body: review });
    assert.equal(me.status, 201);
    const info = (me.body as Review).status.userInfo;
    assert.equal(info.username, 'system:serviceaccount:default:builder');
    assert.deepEqual(info.groups, ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);
    // A ServiceAccount is no admin: a write it was not granted is 403, not 401 (it is known).
    const w = await call('POST', '/api/v1/namespaces/default/configmaps', { token, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } });
    assert.equal(w.status, 403);
    await server.api('DELETE', '/api/v1/namespaces/default/serviceaccounts/builder');
    const gone = await call('POST', reviewPath, { token, body: review });
    assert.equal(gone.status, 401);
    assert.match((gone.body as Status).message ?? '', /ServiceAccount was deleted/);
  });

  test('a token for another audience is refused; bad TokenRequests are 422', async () => {
    const other = await server.api<{ status: { token: string } }>('POST', tokenPath('default', 'default'), { spec: { audiences: ['vault'], expirationSeconds: 600 } });
    assert.equal(other.status, 201);
    const r = await call('POST', reviewPath, { token: other.body.status.token, body: review });
    assert.equal(r.status, 401);
    assert.match((r.body as Status).message ?? '', /audiences/);
    const bad = await server.api<Status>('POST', tokenPath('default', 'default'), { spec: { expirationSeconds: 5, audiences: 'x' } });
    assert.equal(bad.status, 422);
    assert.match(bad.body.message ?? '', /spec\.audiences.*spec\.expirationSeconds/s);
  });

  test('a node may have the token of a pod bound to it, never another node\'s', async () => {
    const join = async (nodeName: string): Promise<string> => {
      const r = await server.api<{ token: string }>('POST', '/apis/lantern.dev/v1/nodes/join', { nodeName, nodeSecret: randomBytes(24).toString('hex') }, server.joinToken);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.token;
    };
    const nodeA = await join('t1-node-a');
    for (const [name, node] of [['t1-pod-a', 't1-node-a'], ['t1-pod-b', 't1-node-b']]) {
      const r = await server.api('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox' }] } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    const ask = (pod: string): Promise<{ status: number; body: unknown }> => call('POST', tokenPath('default', 'default'), { token: nodeA, body: { spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: pod } } } });
    const mine = await ask('t1-pod-a');
    assert.equal(mine.status, 201, JSON.stringify(mine.body));
    const theirs = await ask('t1-pod-b');
    assert.equal(theirs.status, 403);
    assert.match((theirs.body as Status).message ?? '', /system:node:t1-node-a may not create serviceaccounts\/token/);
    const unbound = await call('POST', tokenPath('default', 'default'), { token: nodeA, body: { spec: {} } });
    assert.equal(unbound.status, 403);
    // The pod-bound token dies with its pod.
    const token = (mine.body as { status: { token: string } }).status.token;
    assert.equal((await call('POST', reviewPath, { token, body: review })).status, 201);
    await server.api('DELETE', '/api/v1/namespaces/default/pods/t1-pod-a?gracePeriodSeconds=0');
    await server.until('the pod-bound token to stop working', async () => (await call('POST', reviewPath, { token, body: review })).status === 401);
  });
});
