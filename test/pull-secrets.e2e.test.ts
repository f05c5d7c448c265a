import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer, busyboxArchive } from './harness/lanternd.js';
import { TestRegistry } from './harness/registry.js';

interface PodView { status?: { phase?: string; containerStatuses?: Array<{ state?: { waiting?: { reason?: string; message?: string } } }> } }

describe('imagePullSecrets: a private registry needing a password', () => {
  const registry = new TestRegistry('t4user', 't4-secret-pw');
  const server = new TestServer();
  let image = '';
  const pod = (name: string, secret?: string): object => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
    spec: { ...(secret ? { imagePullSecrets: [{ name: secret }] } : {}), terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image, command: ['sleep', '3600'] }] },
  });
  const get = async (name: string): Promise<PodView> => (await server.api<PodView>('GET', `/api/v1/namespaces/default/pods/${name}`)).body;

  before(async () => {
    await registry.start();
    await registry.putArchive(busyboxArchive(), 't4/private', 'v1');
    image = `${registry.host}/t4/private:v1`;
    await server.start();
  });
  after(async () => {
    for (const n of ['t4-anon', 't4-authed']) await server.api('DELETE', `/api/v1/namespaces/default/pods/${n}`).catch(() => undefined);
    await server.stop();
    await registry.stop();
  });

  test('a malformed dockerconfigjson Secret is refused with the field', async () => {
    const r = await server.api<{ message: string }>('POST', '/api/v1/namespaces/default/secrets', {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 't4-bad' }, type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': '{"registries": {}}' },
    });
    assert.equal(r.status, 422);
    assert.match(r.body.message, /data\[\.dockerconfigjson\].*"auths" object/);
  });

  test('without the secret the pull fails with the registry\'s 401; with it the pod runs', async () => {
    assert.equal((await server.api('POST', '/api/v1/namespaces/default/pods', pod('t4-anon'))).status, 201);
    const waiting = await server.until('t4-anon ErrImagePull', async () => {
      const w = (await get('t4-anon')).status?.containerStatuses?.[0]?.state?.waiting;
      return w && /ErrImagePull|ImagePullBackOff/.test(w.reason ?? '') ? w : undefined;
    }, 60_000);
    assert.match(waiting.message ?? '', /401|unauthorized|authentication required/i);

    const config = { auths: { [registry.host]: { username: 't4user', password: 't4-secret-pw', auth: Buffer.from('t4user:t4-secret-pw').toString('base64') } } };
    const s = await server.api('POST', '/api/v1/namespaces/default/secrets', {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 't4-regcred' }, type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from(JSON.stringify(config)).toString('base64') },
    });
    assert.equal(s.status, 201, JSON.stringify(s.body));
    assert.equal((await server.api('POST', '/api/v1/namespaces/default/pods', pod('t4-authed', 't4-regcred'))).status, 201);
    await server.until('t4-authed Running', async () => (await get('t4-authed')).status?.phase === 'Running', 90_000);
  });
});
