import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/pod.js';
import { openTestApi, type TestApi } from '../../testing/api.js';

const pod = (name: string, extra: Partial<Pod['spec']> = {}): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 't7-sa' },
  spec: { containers: [{ name: 'c', image: 'registry.t7.example/app:1' }], ...extra },
});

describe('ServiceAccount admission: imagePullSecrets', () => {
  let t: TestApi;
  before(async () => {
    t = await openTestApi({ prefix: 't7-sa-' });
    await t.api.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 't7-sa' } });
    for (const [name, secrets] of [['default', ['t7-default-cred']], ['builder', ['t7-a', 't7-b']]] as const) {
      const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 't7-sa' }, imagePullSecrets: secrets.map((n) => ({ name: n })) };
      await t.api.create('serviceaccounts', sa).catch(async () => {
        const cur = await t.api.get('serviceaccounts', name, 't7-sa');
        await t.api.update('serviceaccounts', { ...cur, imagePullSecrets: sa.imagePullSecrets });
      });
    }
  });
  after(async () => { await t.close(); });

  test('a pod naming no pull secrets gets its ServiceAccount\'s (or the default one\'s)', async () => {
    const p = await t.api.create<Pod>('pods', pod('t7-a', { serviceAccountName: 'builder' }));
    assert.deepEqual(p.spec.imagePullSecrets, [{ name: 't7-a' }, { name: 't7-b' }]);
    const d = await t.api.create<Pod>('pods', pod('t7-d'));
    assert.deepEqual(d.spec.imagePullSecrets, [{ name: 't7-default-cred' }]);
  });

  test('the pod\'s own imagePullSecrets win; a ServiceAccount that does not exist adds nothing', async () => {
    const own = await t.api.create<Pod>('pods', pod('t7-own', { serviceAccountName: 'builder', imagePullSecrets: [{ name: 'mine' }] }));
    assert.deepEqual(own.spec.imagePullSecrets, [{ name: 'mine' }]);
    const none = await t.api.create<Pod>('pods', pod('t7-none', { serviceAccountName: 'ghost' }));
    assert.equal(none.spec.imagePullSecrets, undefined);
  });
});
