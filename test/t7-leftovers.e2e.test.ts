import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestServer, busyboxArchive } from './harness/lanternd.js';
import { Cli, explain } from './harness/cli.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { eventually } from '../src/testing/eventually.js';

const run = promisify(execFile);
/** skopeo inspect as a user (Basic auth with the user's token); resolves with the exit code and stderr. */
async function skopeoInspect(ref: string, token: string): Promise<{ code: number; stderr: string }> {
  try {
    await run('skopeo', ['inspect', '--tls-verify=false', '--creds', `t7:${token}`, `docker://${ref}`], { timeout: 60_000 });
    return { code: 0, stderr: '' };
  } catch (e) {
    const err = e as { code?: number; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : 1, stderr: err.stderr ?? '' };
  }
}

interface Secret { type?: string; data?: Record<string, string> }
const testdata = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../src/image/signing/testdata');

/**
 * Issue 17 leftovers through lcctl on a real server: `create secret docker-registry` as kubectl
 * makes it, and keyless `image verify --bundle` with offline trust (a real Sigstore bundle that signs
 * other bytes must be refused for an image, naming why).
 */
describe('issue 17 leftovers through lcctl', { timeout: 240_000 }, () => {
  const server = new TestServer([], { https: true });
  const cli = new Cli(server);
  let host = '';

  before(async () => {
    await server.start();
    host = new URL(server.url).host;
    await cli.ok(['image', 'import', '--node', 'node-1', busyboxArchive(), 'busybox:latest']);
    await cli.ok(['tag', '--node', 'node-1', 'busybox', `${host}/t7/app:1`]);
    await cli.ok(['push', '--node', 'node-1', `${host}/t7/app:1`]);
    await cli.ok(['tag', '--node', 'node-1', 'busybox', `${host}/t7/other:1`]);
    await cli.ok(['push', '--node', 'node-1', `${host}/t7/other:1`]);
  });
  after(async () => {
    await server.api('DELETE', '/api/v1/namespaces/default/secrets/t7-regcred').catch(() => undefined);
    await server.api('DELETE', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/t7-puller').catch(() => undefined);
    await server.api('DELETE', '/apis/rbac.authorization.k8s.io/v1/clusterroles/t7-app-reader').catch(() => undefined);
    await server.stop();
  });

  test('create secret docker-registry writes the .dockerconfigjson kubectl writes', async () => {
    const out = await cli.ok(['create', 'secret', 'docker-registry', 't7-regcred', '--docker-server', 'reg.t7.example:5000', '--docker-username', 'ann', '--docker-password', 's3cret', '--docker-email', 'ann@t7.example']);
    assert.match(out, /secret\/t7-regcred created/);
    const s = (await server.api<Secret>('GET', '/api/v1/namespaces/default/secrets/t7-regcred')).body;
    assert.equal(s.type, 'kubernetes.io/dockerconfigjson');
    const doc = JSON.parse(Buffer.from(s.data?.['.dockerconfigjson'] ?? '', 'base64').toString('utf8')) as unknown;
    assert.deepEqual(doc, { auths: { 'reg.t7.example:5000': { username: 'ann', password: 's3cret', email: 'ann@t7.example', auth: Buffer.from('ann:s3cret').toString('base64') } } });
    const missing = await cli.run(['create', 'secret', 'docker-registry', 't7-bad', '--docker-username', 'ann']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /required flag\(s\) "docker-password" not set/);
  });

  test('image verify --bundle: a valid bundle that signs something else is refused, naming it', async () => {
    const args = ['image', 'verify', '--bundle', path.join(testdata, 'sigstore-bundle-message.json'), '--trusted-root', path.join(testdata, 'sigstore-trusted-root.json'),
      '--certificate-identity', 'brian@dehamer.com', '--certificate-oidc-issuer', 'https://github.com/login/oauth', `${host}/t7/app:1`];
    const r = await cli.run(args);
    assert.equal(r.code, 1, explain(server, r));
    assert.match(r.stderr, /the bundle signs sha256:68e656b2[0-9a-f]+, which is neither .*t7\/app@sha256:[0-9a-f]{64} nor one of its 0 stored signature payloads/);
    const noRoot = await cli.run(args.filter((a, i) => a !== '--trusted-root' && args[i - 1] !== '--trusted-root'));
    assert.notEqual(noRoot.code, 0);
    assert.match(noRoot.stderr, /requires --trusted-root/);
  });

  test('the registry lets a user pull what RBAC grants (per repository), and refuses the rest', async () => {
    const config = await cli.ok(['create', 'user', 't7-puller', '--with-token']);
    const token = /token: *"?([^"\s]+)"?/.exec(config)?.[1];
    assert.ok(token, config);
    const refused = await skopeoInspect(`${host}/t7/app:1`, token);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /denied|unauthorized|403/i);
    const role = await server.api('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 't7-app-reader' },
      rules: [{ apiGroups: ['lantern.dev'], resources: ['images'], resourceNames: ['t7/app'], verbs: ['get'] }],
    });
    assert.equal(role.status, 201, JSON.stringify(role.body));
    const binding = await server.api('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 't7-puller' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 't7-app-reader' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 't7-puller' }],
    });
    assert.equal(binding.status, 201, JSON.stringify(binding.body));
    await eventually('t7-puller may pull t7/app', async () => (await skopeoInspect(`${host}/t7/app:1`, token)).code === 0, { timeoutMs: 30_000 });
    const other = await skopeoInspect(`${host}/t7/other:1`, token);
    assert.notEqual(other.code, 0);
    assert.match(other.stderr, /denied|unauthorized|403/i);
  });
});
