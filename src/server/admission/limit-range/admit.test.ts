import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestApi, type TestApi } from '../../../testing/api.js';
import { ApiError } from '../../../api/errors.js';
import type { Container, Pod } from '../../../api/schema/pod.js';
import type { LimitRange, LimitRangeItem } from '../../../api/schema/tenancy.js';
import type { PersistentVolumeClaim } from '../../../api/schema/storage.js';

const pod = (name: string, ns: string, ...containers: Partial<Container>[]): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns },
  spec: { containers: containers.map((c, i) => ({ name: `c${i}`, image: 'busybox', ...c })) },
});
const limitRange = (ns: string, ...limits: LimitRangeItem[]): LimitRange => ({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'limits', namespace: ns }, spec: { limits } });
const forbidden = (text: string) => (e: unknown): boolean => {
  assert.ok(e instanceof ApiError, String(e));
  assert.equal(e.code, 'Forbidden');
  assert.equal(e.message, text);
  return true;
};

describe('LimitRange admission', () => {
  let t: TestApi;
  before(async () => { t = await openTestApi({ prefix: 't3-limits-' }); });
  after(async () => { await t.close(); });

  test('containers without requests or limits get the defaults; stated values are kept', async () => {
    await t.api.create('limitranges', limitRange('la', { type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '64Mi' } }));
    const made = await t.api.create<Pod>('pods', pod('p', 'la', {}, { resources: { limits: { cpu: '1' } } }));
    assert.deepEqual(made.spec.containers[0]?.resources, { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
    // A stated limit is also the request (Kubernetes' defaulting), so defaultRequest does not apply to it.
    assert.deepEqual(made.spec.containers[1]?.resources, { requests: { memory: '64Mi' }, limits: { cpu: '1', memory: '256Mi' } });
  });

  test("min, max and maxLimitRequestRatio per Container, in Kubernetes' words", async () => {
    await t.api.create('limitranges', limitRange('lb', { type: 'Container', min: { cpu: '100m' }, max: { cpu: '1', memory: '1Gi' }, maxLimitRequestRatio: { cpu: '2' } }));
    await assert.rejects(t.api.create('pods', pod('big', 'lb', { resources: { requests: { cpu: '1' }, limits: { cpu: '2', memory: '512Mi' } } })),
      forbidden('pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2'));
    await assert.rejects(t.api.create('pods', pod('small', 'lb', { resources: { requests: { cpu: '50m' }, limits: { cpu: '500m', memory: '2Gi' } } })),
      forbidden('pods "small" is forbidden: [minimum cpu usage per Container is 100m, but request is 50m, maximum memory usage per Container is 1Gi, but limit is 2Gi, cpu max limit to request ratio per Container is 2, but provided ratio is 10.000000]'));
    await assert.rejects(t.api.create('pods', pod('nolimit', 'lb', { resources: { requests: { cpu: '200m' } } })),
      forbidden('pods "nolimit" is forbidden: [maximum cpu usage per Container is 1.  No limit is specified, maximum memory usage per Container is 1Gi.  No limit is specified, cpu max limit to request ratio per Container is 2, but no limit is specified]'));
    await t.api.create('pods', pod('fits', 'lb', { resources: { requests: { cpu: '500m' }, limits: { cpu: '1', memory: '1Gi' } } }));
  });

  test('per Pod: the sum of the containers', async () => {
    await t.api.create('limitranges', limitRange('lc', { type: 'Pod', max: { memory: '1Gi' } }));
    const c = { resources: { limits: { memory: '768Mi' } } };
    await assert.rejects(t.api.create('pods', pod('two', 'lc', c, c)), forbidden('pods "two" is forbidden: maximum memory usage per Pod is 1Gi, but limit is 1536Mi'));
    await t.api.create('pods', pod('one', 'lc', c));
  });

  test('PersistentVolumeClaim storage min and max', async () => {
    await t.api.create('limitranges', limitRange('ld', { type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '5Gi' } }));
    const claim = (name: string, storage: string): PersistentVolumeClaim => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'ld' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } } });
    await assert.rejects(t.api.create('persistentvolumeclaims', claim('tiny', '500Mi')), forbidden('persistentvolumeclaims "tiny" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi'));
    await assert.rejects(t.api.create('persistentvolumeclaims', claim('huge', '10Gi')), forbidden('persistentvolumeclaims "huge" is forbidden: maximum storage usage per PersistentVolumeClaim is 5Gi, but request is 10Gi'));
    await t.api.create('persistentvolumeclaims', claim('fine', '2Gi'));
  });

  test('a LimitRange whose default is above its max is invalid, naming the field', async () => {
    await assert.rejects(t.api.create('limitranges', limitRange('le', { type: 'Container', default: { cpu: '2' }, max: { cpu: '1' } })), (e: unknown) => {
      assert.ok(e instanceof ApiError && e.code === 'Invalid');
      assert.match(e.message, /spec\.limits\[0\]\.default\[cpu\]: default value 2 is greater than max value 1/);
      return true;
    });
  });
});
