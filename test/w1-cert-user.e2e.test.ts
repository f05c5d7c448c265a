/**
 * A client-certificate user (`lcctl create user NAME`, no token) runs `lcctl exec` (an upgraded
 * connection: the certificate goes with it, as with every other request), and an expired client
 * certificate is refused with 401 saying so (issue 17 item 1).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestServer, busyboxArchive } from './harness/lanternd.js';
import { busyboxPod, waitContainer } from './harness/pods.js';

const server = new TestServer([], { https: true });
let dir: string;

/** The harness' importBusybox uses fetch, which cannot be given the CA: the same import through node:https. */
function importOverHttps(archive: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${server.url}/apis/lantern.dev/v1/images?ref=busybox:latest`, {
      method: 'POST', ca: server.ca, headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/x-tar' },
    }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString(); });
      res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`image import failed: ${res.statusCode ?? 0} ${text}`))));
    });
    req.on('error', reject);
    req.end(readFileSync(archive));
  });
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'lantern-w1-cert-'));
  await server.start();
  await importOverHttps(busyboxArchive());
});
after(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('certificate users', () => {
  test('lcctl exec as a certificate user: 403 naming the user without a grant, runs with one', async () => {
    const made = await server.api('POST', '/api/v1/namespaces/default/pods', busyboxPod('w1-sleeper', ['sleep', '3600']));
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const user = await server.lcctl(['create', 'user', 'w1-dave', '--group', 'w1-devs', '--ttl', '1h']);
    assert.equal(user.code, 0, user.stderr);
    const config = path.join(dir, 'dave.yaml');
    writeFileSync(config, user.stdout, { mode: 0o600 });
    assert.doesNotMatch(user.stdout, /^token:/m, 'a certificate user, no token');
    await waitContainer(server, 'w1-sleeper', 'running', (s) => s.state?.running !== undefined, 60_000);
    const env = { LANTERN_CONFIG: config };
    const bind = async (role: string): Promise<void> => {
      const rb = await server.api('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `w1-devs-${role}` },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'w1-devs' }],
      });
      assert.equal(rb.status, 201, JSON.stringify(rb.body));
    };
    // view: lcctl may read the pod, and the upgrade itself is refused as w1-dave (403, not 401: the certificate went with it).
    await bind('view');
    let last = '';
    const refused = await server.until(() => `exec refused as w1-dave at the upgrade; last: ${last}`, async () => {
      const r = await server.lcctl(['exec', 'w1-sleeper', 'echo', 'hi'], undefined, env);
      last = `${r.code} ${r.stdout} ${r.stderr}`;
      return /pods\/exec/.test(r.stderr) ? r : undefined;
    });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /User "w1-dave" cannot create resource "pods\/exec"/);
    await bind('edit');
    const ran = await server.until(() => `exec as w1-dave after the binding; last: ${last}`, async () => {
      const r = await server.lcctl(['exec', 'w1-sleeper', 'echo', 'hi-from-dave'], undefined, env);
      last = `${r.code} ${r.stdout} ${r.stderr}`;
      return r.code === 0 ? r : undefined;
    });
    assert.equal(ran.stdout.trim(), 'hi-from-dave');
  });

  test('an expired client certificate is 401 saying it expired', async () => {
    const pki = path.join(server.dataDir, 'pki');
    const key = path.join(dir, 'old.key'), csr = path.join(dir, 'old.csr'), crt = path.join(dir, 'old.crt');
    execFileSync('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=w1-old/O=w1-devs', '-keyout', key, '-out', csr], { stdio: 'ignore' });
    // Signed by the cluster CA itself, but its notAfter is a day ago.
    execFileSync('openssl', ['x509', '-req', '-in', csr, '-CA', path.join(pki, 'ca.crt'), '-CAkey', path.join(pki, 'ca.key'), '-days', '-1', '-out', crt], { stdio: 'ignore' });
    const r = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = https.request(`${server.url}/apis/authentication.k8s.io/v1/selfsubjectreviews`, {
        method: 'POST', ca: server.ca, cert: readFileSync(crt), key: readFileSync(key), agent: false, headers: { 'content-type': 'application/json' },
      }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => { text += d.toString(); });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end(JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }));
    });
    assert.equal(r.status, 401, r.text);
    assert.match(r.text, /client certificate of \\"w1-old\\" expired at/);
  });
});
