import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestApi, type TestApi } from '../../../testing/api.js';
import { ApiError } from '../../../api/errors.js';
import type { ResourceQuota } from '../../../api/schema/tenancy.js';
import type { PersistentVolumeClaim } from '../../../api/schema/storage.js';
import type { Service } from '../../../api/schema/service.js';

const claim = (name: string, ns: string, storage: string): PersistentVolumeClaim => ({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: ns },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } },
});
const quota = (name: string, ns: string, hard: Record<string, string>): ResourceQuota => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace: ns }, spec: { hard } });
const grow = async (t: TestApi, name: string, ns: string, storage: string, dryRun = false): Promise<PersistentVolumeClaim> => {
  const c = await t.api.get<PersistentVolumeClaim>('persistentvolumeclaims', name, ns);
  return t.api.update('persistentvolumeclaims', { ...c, spec: { ...c.spec, resources: { requests: { storage } } } }, { dryRun });
};

describe('ResourceQuota on updates', () => {
  let t: TestApi;
  before(async () => { t = await openTestApi({ prefix: 'w3-quota-upd-' }); });
  after(async () => { await t.close(); });

  test("growing a claim's requests.storage is charged; past the quota it is refused naming the quota", async () => {
    await t.api.create('resourcequotas', quota('storage', 'w3q', { 'requests.storage': '5Gi', persistentvolumeclaims: '5' }));
    await t.api.create('persistentvolumeclaims', claim('data', 'w3q', '1Gi'));
    await t.api.create('persistentvolumeclaims', claim('logs', 'w3q', '1Gi'));
    await grow(t, 'data', 'w3q', '3Gi');
    const q = await t.api.get<ResourceQuota>('resourcequotas', 'storage', 'w3q');
    assert.deepEqual(q.status?.used, { persistentvolumeclaims: '2', 'requests.storage': '4Gi' }, 'the growth (2Gi) is charged, the count unchanged');
    await assert.rejects(grow(t, 'logs', 'w3q', '3Gi'), (e: unknown) => {
      assert.ok(e instanceof ApiError && e.code === 'Forbidden', String(e));
      assert.match(e.message, /^persistentvolumeclaims "logs" is forbidden: exceeded quota: storage, requested: requests\.storage=2Gi, used: requests\.storage=4Gi, limited: requests\.storage=5Gi$/);
      return true;
    });
    const logs = await t.api.get<PersistentVolumeClaim>('persistentvolumeclaims', 'logs', 'w3q');
    assert.equal(logs.spec.resources?.requests?.storage, '1Gi', 'the refused growth is not stored');
    await grow(t, 'logs', 'w3q', '2Gi'); // exactly to the limit
  });

  test('a dry-run growth is checked but not charged; an update that grows nothing passes a full quota', async () => {
    await t.api.create('resourcequotas', quota('full', 'w3r', { 'requests.storage': '2Gi' }));
    await t.api.create('persistentvolumeclaims', claim('a', 'w3r', '1Gi'));
    await grow(t, 'a', 'w3r', '2Gi', true);
    assert.equal((await t.api.get<ResourceQuota>('resourcequotas', 'full', 'w3r')).status?.used?.['requests.storage'], '1Gi');
    await t.api.create('persistentvolumeclaims', claim('b', 'w3r', '1Gi'));
    const b = await t.api.get<PersistentVolumeClaim>('persistentvolumeclaims', 'b', 'w3r');
    await t.api.update('persistentvolumeclaims', { ...b, metadata: { ...b.metadata, labels: { tier: 'gold' } } });
  });

  test('turning a Service into a NodePort is charged against services.nodeports', async () => {
    await t.api.create('resourcequotas', quota('ports', 'w3s', { 'services.nodeports': '1' }));
    await t.api.create<Service>('services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'w3s' }, spec: { ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] } });
    const s = await t.api.get<Service>('services', 'web', 'w3s');
    await assert.rejects(t.api.update('services', { ...s, spec: { ...s.spec, type: 'NodePort' } }), /exceeded quota: ports, requested: services\.nodeports=2, used: services\.nodeports=0, limited: services\.nodeports=1/);
  });
});
