/**
 * A process in a pod calls the API as its ServiceAccount with the mounted token (issue 17 item 1),
 * on the single-machine `lanternd server` (its own node gets tokens through the in-process
 * TokenRequest), and the admin lists and revokes token users (`lcctl get users`, `delete user`).
 *
 * How the pod reaches the API: busybox's wget cannot be given a CA, so this server listens on plain
 * HTTP (--insecure-http, the harness default) on 127.0.0.1 and the pod uses hostNetwork (allowed in
 * `default`, which is privileged) to reach it; the token is read from the mount on every call.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer, busyboxArchive } from './harness/lanternd.js';
import { busyboxPod, importBusybox, waitContainer } from './harness/pods.js';

const server = new TestServer();

before(async () => { await server.start(); await importBusybox(server, busyboxArchive()); });
after(async () => { await server.stop(); });

describe('a pod calls the API with its mounted ServiceAccount token', () => {
  const logs = async (): Promise<string> => {
    const r = await server.api<string>('GET', '/api/v1/namespaces/default/pods/w1-caller/log');
    return typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  };

  test('403 without a binding, 200 once a RoleBinding grants view', async () => {
    const sa = await server.api('POST', '/api/v1/namespaces/default/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'w1-reader' } });
    assert.equal(sa.status, 201, JSON.stringify(sa.body));
    const url = `${server.url}/api/v1/namespaces/default/configmaps`;
    const script = 'while true; do T=$(cat /var/run/secrets/kubernetes.io/serviceaccount/token); ' +
      `echo "ns=$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace) $(wget -S -O /dev/null --header "Authorization: Bearer $T" ${url} 2>&1 | grep -o 'HTTP/1.1 [0-9]*' | head -1)"; sleep 1; done`;
    const made = await server.api('POST', '/api/v1/namespaces/default/pods', busyboxPod('w1-caller', ['sh', '-c', script], { spec: { hostNetwork: true, serviceAccountName: 'w1-reader' } }));
    assert.equal(made.status, 201, JSON.stringify(made.body));
    await waitContainer(server, 'w1-caller', 'running', (s) => s.state?.running !== undefined, 60_000);
    await server.until('a 403 in the pod\'s log', async () => /ns=default HTTP\/1\.1 403/.test(await logs()));
    const rb = await server.api('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'w1-reader-view' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'ServiceAccount', name: 'w1-reader', namespace: 'default' }],
    });
    assert.equal(rb.status, 201, JSON.stringify(rb.body));
    await server.until('a 200 in the pod\'s log after the binding', async () => /HTTP\/1\.1 200/.test(await logs()));
  });
});

describe('token users: lcctl get users / delete user (admin only)', () => {
  test('list shows the user without its secret; delete revokes the token at once', async () => {
    const made = await server.lcctl(['create', 'user', 'w1-carol', '--group', 'qa', '--with-token', '--ttl', '1h']);
    assert.equal(made.code, 0, made.stderr);
    const token = /token: (\S+)/.exec(made.stdout)?.[1];
    assert.ok(token, made.stdout);
    const listed = await server.lcctl(['get', 'users']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /NAME\s+GROUPS\s+TOKEN-ID/);
    assert.match(listed.stdout, /w1-carol\s+qa\s+[a-f0-9]{12}/);
    assert.ok(!listed.stdout.includes(token.split('.')[1]!), 'the secret is never listed');
    const json = JSON.parse((await server.lcctl(['get', 'users', '-o', 'json'])).stdout) as { items: Record<string, unknown>[] };
    const mine = json.items.find((t) => t.user === 'w1-carol');
    assert.ok(mine && !('secretSha256' in mine), JSON.stringify(json));
    assert.equal((await server.api('GET', '/api/v1/namespaces', undefined, token)).status, 403, 'a known user, not yet granted');
    // Only the admin: the user itself may neither list nor revoke.
    assert.equal((await server.api('GET', '/apis/lantern.dev/v1/users', undefined, token)).status, 403);
    assert.equal((await server.api('DELETE', '/apis/lantern.dev/v1/users/w1-carol', undefined, token)).status, 403);
    assert.equal((await server.api('DELETE', '/apis/lantern.dev/v1/users/w1-carol', undefined, server.joinToken)).status, 403);
    const del = await server.lcctl(['delete', 'user', 'w1-carol']);
    assert.equal(del.code, 0, del.stderr);
    assert.match(del.stdout, /user "w1-carol" deleted \(1 token\(s\) revoked\)/);
    assert.equal((await server.api('GET', '/api/v1/namespaces', undefined, token)).status, 401, 'the revoked token is unknown');
    const again = await server.lcctl(['delete', 'user', 'w1-carol']);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /has no tokens.*certificate users cannot be revoked/);
  });
});
