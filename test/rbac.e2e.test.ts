/**
 * RBAC against a real lanternd: users act through impersonation headers (the admin may impersonate),
 * as `kubectl --as` does; Roles and bindings are made with lcctl create; can-i with lcctl and kubectl.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { Kubectl } from './harness/kubectl.js';
import { eventually } from '../src/testing/eventually.js';

const server = new TestServer(['--no-agent'], { https: true });
const k = new Kubectl(server, 'lantern-t2rbac-');

type Answer = { status: number; body: { message?: string; items?: { metadata: { name: string } }[] } };

/** A request with TOKEN and HEADERS over the server's HTTPS (fetch cannot be given a CA). */
function request(method: string, path: string, headers: Record<string, string>, body?: unknown, token = server.token): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.request(server.url + path, { method, ca: server.ca, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers } }, (r) => {
      let text = '';
      r.on('data', (d: Buffer) => { text += d.toString(); });
      r.on('end', () => resolve({ status: r.statusCode ?? 0, body: JSON.parse(text || '{}') as Answer['body'] }));
      r.on('error', reject);
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** A request as USER (Impersonate-User with the admin token). */
const as = (user: string, method: string, path: string, body?: unknown, groups: string[] = []): Promise<Answer> =>
  request(method, path, { 'impersonate-user': user, ...(groups.length > 0 ? { 'impersonate-group': groups.join(',') } : {}) }, body);

const lcctl = async (args: string[]): Promise<string> => {
  const r = await server.lcctl(args);
  assert.equal(r.code, 0, `lcctl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

const cm = (ns: string, name: string): unknown => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { a: '1' } });

before(async () => {
  await server.start();
  for (const ns of ['t2-team-a', 't2-team-b']) assert.equal((await server.api('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })).status, 201);
  await lcctl(['create', 'rolebinding', 'viewers', '--clusterrole=view', '--user=vera', '-n', 't2-team-a']);
  await lcctl(['create', 'rolebinding', 'editors', '--clusterrole=edit', '--user=eddie', '-n', 't2-team-a']);
  await lcctl(['create', 'role', 'cm-reader', '--verb=get', '--resource=configmaps', '--resource-name=only-this', '-n', 't2-team-b']);
  await lcctl(['create', 'rolebinding', 'cm-reader', '--role=cm-reader', '--group=readers', '-n', 't2-team-b']);
});
after(async () => {
  await server.stop();
  k.cleanup();
});

describe('RBAC end to end', () => {
  test('the default ClusterRoles and the system:masters binding exist', async () => {
    const roles = await server.api<{ items: { metadata: { name: string } }[] }>('GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles');
    for (const n of ['cluster-admin', 'admin', 'edit', 'view']) assert.ok(roles.body.items.some((r) => r.metadata.name === n), n);
    const crb = await server.api<{ subjects: { name: string }[] }>('GET', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/cluster-admin');
    assert.deepEqual(crb.body.subjects.map((s) => s.name), ['system:masters']);
  });

  test('a user with view lists in its namespace only, and cannot create', async () => {
    await eventually('the binding reaches the authorizer', async () => (await as('vera', 'GET', '/api/v1/namespaces/t2-team-a/pods')).status === 200);
    const other = await as('vera', 'GET', '/api/v1/namespaces/t2-team-b/pods');
    assert.equal(other.status, 403);
    assert.equal(other.body.message, 'pods is forbidden: User "vera" cannot list resource "pods" in API group "" in the namespace "t2-team-b"');
    assert.equal((await as('vera', 'GET', '/api/v1/pods')).status, 403, 'a cluster-wide list needs a ClusterRoleBinding');
    assert.equal((await as('vera', 'GET', '/api/v1/namespaces/t2-team-b/pods?watch=true')).status, 403, 'a watch is checked before it starts');
    const create = await as('vera', 'POST', '/api/v1/namespaces/t2-team-a/configmaps', cm('t2-team-a', 'nope'));
    assert.equal(create.status, 403);
    assert.match(create.body.message ?? '', /User "vera" cannot create resource "configmaps" in API group "" in the namespace "t2-team-a"/);
    assert.equal((await as('vera', 'GET', '/api/v1/namespaces/t2-team-a/secrets')).status, 403, 'view does not read Secrets');
  });

  test('an edit user writes workloads but cannot create a RoleBinding granting admin', async () => {
    await eventually('edit applies', async () => (await as('eddie', 'POST', '/api/v1/namespaces/t2-team-a/configmaps', cm('t2-team-a', 'eddie-cm'))).status === 201);
    const patch = (user: string): Promise<Answer> => request('PATCH', '/api/v1/namespaces/t2-team-a/configmaps/eddie-cm', { 'impersonate-user': user, 'content-type': 'application/merge-patch+json' }, { data: { b: '2' } });
    assert.equal((await patch('eddie')).status, 200, 'edit may patch');
    const viewerPatch = await patch('vera');
    assert.equal(viewerPatch.status, 403);
    assert.match(viewerPatch.body.message ?? '', /User "vera" cannot patch resource "configmaps"/);
    const rb = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'grab', namespace: 't2-team-a' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' }, subjects: [{ kind: 'User', name: 'eddie' }] };
    const r = await as('eddie', 'POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/t2-team-a/rolebindings', rb);
    assert.equal(r.status, 403);
    // Even a user allowed to create bindings (an admin of the namespace) may not grant cluster-admin.
    await lcctl(['create', 'rolebinding', 'ns-admin', '--clusterrole=admin', '--user=ada', '-n', 't2-team-a']);
    await eventually('admin applies', async () => (await as('ada', 'POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/t2-team-a/rolebindings', { ...rb, metadata: { name: 'ok', namespace: 't2-team-a' }, roleRef: { ...rb.roleRef, name: 'edit' } })).status === 201);
    const esc = await as('ada', 'POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/t2-team-a/rolebindings', { ...rb, metadata: { name: 'esc', namespace: 't2-team-a' }, roleRef: { ...rb.roleRef, name: 'cluster-admin' } });
    assert.equal(esc.status, 403);
    assert.match(esc.body.message ?? '', /attempting to grant RBAC permissions not currently held/);
  });

  test('pod logs and image operations go through RBAC before anything else', async () => {
    // view reads pods/log in its namespace (no such pod: 404 after RBAC passed), not in another (403).
    assert.equal((await as('vera', 'GET', '/api/v1/namespaces/t2-team-a/pods/none/log')).status, 404);
    const log = await as('vera', 'GET', '/api/v1/namespaces/t2-team-b/pods/none/log');
    assert.equal(log.status, 403);
    assert.match(log.body.message ?? '', /cannot get resource "pods\/log" in API group "" in the namespace "t2-team-b"/);
    // Lantern's image store is cluster-wide: `use images` (lantern.dev) needs edit bound cluster-wide;
    // a namespace's editor does not reach other tenants' images.
    await lcctl(['create', 'clusterrolebinding', 't2-ivy', '--clusterrole=edit', '--user=ivy']);
    await eventually('ivy may use images', async () => (await as('ivy', 'GET', '/apis/lantern.dev/v1/images')).status !== 403);
    const ed = await as('eddie', 'GET', '/apis/lantern.dev/v1/images');
    assert.equal(ed.status, 403);
    assert.match(ed.body.message ?? '', /User "eddie" cannot use resource "images" in API group "lantern.dev" at the cluster scope/);
    assert.equal((await as('vera', 'GET', '/apis/lantern.dev/v1/images')).status, 403);
  });

  test('a group binding with resourceNames grants one object only', async () => {
    await lcctl(['create', 'configmap', 'only-this', '--from-literal=k=v', '-n', 't2-team-b']);
    await lcctl(['create', 'configmap', 'not-this', '--from-literal=k=v', '-n', 't2-team-b']);
    await eventually('the role applies', async () => (await as('gus', 'GET', '/api/v1/namespaces/t2-team-b/configmaps/only-this', undefined, ['readers'])).status === 200);
    assert.equal((await as('gus', 'GET', '/api/v1/namespaces/t2-team-b/configmaps/not-this', undefined, ['readers'])).status, 403);
    assert.equal((await as('gus', 'GET', '/api/v1/namespaces/t2-team-b/configmaps/only-this')).status, 403, 'without the group');
  });

  test('impersonation is the admin\'s: a user without the verb is refused', async () => {
    const r = await as('vera', 'GET', '/api/v1/namespaces/t2-team-a/pods');
    assert.equal(r.status, 200);
    // vera impersonating someone: the server sees vera's impersonation through the admin's header only once.
    const nodeLike = await request('GET', '/api/v1/namespaces/t2-team-a/pods', { 'impersonate-user': 'vera' }, undefined, server.joinToken);
    assert.equal(nodeLike.status, 403, 'the join token may not impersonate');
    // Asking about someone else (SubjectAccessReview) is the admin's, or needs create on it.
    const sar = { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: 'eddie', resourceAttributes: { verb: 'create', resource: 'configmaps', namespace: 't2-team-a' } } };
    assert.equal((await as('vera', 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', sar)).status, 403);
    const byAdmin = await request('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {}, sar) as Answer & { body: { status?: { allowed?: boolean } } };
    assert.equal(byAdmin.body.status?.allowed, true);
    // A namespace's admin may ask about its own namespace (LocalSubjectAccessReview), not another.
    const local = (ns: string): unknown => ({ ...sar, kind: 'LocalSubjectAccessReview', metadata: { namespace: ns }, spec: { ...sar.spec, resourceAttributes: { ...sar.spec.resourceAttributes, namespace: ns } } });
    assert.equal((await as('ada', 'POST', '/apis/authorization.k8s.io/v1/namespaces/t2-team-a/localsubjectaccessreviews', local('t2-team-a'))).status, 201);
    assert.equal((await as('ada', 'POST', '/apis/authorization.k8s.io/v1/namespaces/t2-team-b/localsubjectaccessreviews', local('t2-team-b'))).status, 403);
  });

  test('a real user (lcctl create user: client certificate or token) is decided by RBAC', async () => {
    for (const [user, extra] of [['t2-cert-user', []], ['t2-token-user', ['--with-token']]] as const) {
      const made = await lcctl(['create', 'user', user, ...extra]);
      const config = path.join(k.home, `${user}.yaml`);
      writeFileSync(config, made, { mode: 0o600 });
      const asUser = (args: string[]): ReturnType<typeof server.lcctl> => server.lcctl(args, undefined, { LANTERN_CONFIG: config });
      const before = await asUser(['get', 'configmaps', '-n', 't2-team-a']);
      assert.equal(before.code, 1);
      assert.match(before.stderr, new RegExp(`User "${user}" cannot list resource "configmaps" in API group "" in the namespace "t2-team-a"`));
      await lcctl(['create', 'rolebinding', user, '--clusterrole=view', `--user=${user}`, '-n', 't2-team-a']);
      await eventually(`${user} may list`, async () => (await asUser(['get', 'configmaps', '-n', 't2-team-a'])).code === 0);
      const canI = await asUser(['auth', 'can-i', 'create', 'configmaps', '-n', 't2-team-a']);
      assert.deepEqual([canI.code, canI.stdout.trim()], [1, 'no']);
      const viaKubectl = await k.run(['get', 'configmaps', '-n', 't2-team-b'], { kubeconfig: config });
      assert.notEqual(viaKubectl.code, 0);
      assert.match(viaKubectl.stderr, /forbidden/);
    }
  });

  test('lcctl auth can-i --as answers yes/no with kubectl\'s exit codes', async () => {
    const yes = await server.lcctl(['auth', 'can-i', 'create', 'deployments', '-n', 't2-team-a', '--as', 'eddie']);
    assert.deepEqual([yes.code, yes.stdout.trim()], [0, 'yes']);
    const no = await server.lcctl(['auth', 'can-i', 'create', 'deployments', '-n', 't2-team-a', '--as', 'vera']);
    assert.deepEqual([no.code, no.stdout.trim()], [1, 'no']);
    const log = await server.lcctl(['auth', 'can-i', 'get', 'pods', '--subresource', 'log', '-n', 't2-team-a', '--as', 'vera']);
    assert.equal(log.code, 0, 'view reads pods/log');
    const list = await lcctl(['auth', 'can-i', '--list', '-n', 't2-team-a', '--as', 'vera']);
    assert.match(list, /deployments\.apps\s+\[\]\s+\[\]\s+\[get list watch\]/);
    assert.equal((await server.lcctl(['auth', 'can-i', 'delete', 'nodes'])).code, 0, 'the admin may do anything');
  });

  test('kubectl auth can-i --as and kubectl get --as go through the same authorizer', async () => {
    const yes = await k.run(['auth', 'can-i', 'list', 'pods', '-n', 't2-team-a', '--as', 'vera']);
    assert.deepEqual([yes.code, yes.stdout.trim(), yes.stderr], [0, 'yes', '']);
    const no = await k.run(['auth', 'can-i', 'list', 'pods', '-n', 't2-team-b', '--as', 'vera']);
    assert.deepEqual([no.code, no.stdout.trim()], [1, 'no'], no.stderr);
    const list = await k.ok(['auth', 'can-i', '--list', '-n', 't2-team-a', '--as', 'vera']);
    assert.match(list, /deployments\.apps\s+\[\]\s+\[\]\s+\[get list watch\]/);
    const get = await k.run(['get', 'pods', '-n', 't2-team-b', '--as', 'vera']);
    assert.notEqual(get.code, 0);
    assert.match(get.stderr, /User "vera" cannot list resource "pods" in API group "" in the namespace "t2-team-b"/);
  });

  test('kubectl create role and rolebinding', async () => {
    assert.match(await k.ok(['create', 'role', 'k-pods', '--verb=get,list', '--resource=pods', '-n', 't2-team-b']), /role.rbac.authorization.k8s.io\/k-pods created/);
    assert.match(await k.ok(['create', 'rolebinding', 'k-pods', '--role=k-pods', '--user=kim', '-n', 't2-team-b']), /rolebinding.rbac.authorization.k8s.io\/k-pods created/);
    await eventually('kim may list pods', async () => (await as('kim', 'GET', '/api/v1/namespaces/t2-team-b/pods')).status === 200);
    const table = await k.ok(['get', 'rolebindings', '-n', 't2-team-b']);
    assert.match(table, /k-pods\s+Role\/k-pods/);
  });
});
