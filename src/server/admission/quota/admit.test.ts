import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestApi, type TestApi } from '../../../testing/api.js';
import { ApiError } from '../../../api/errors.js';
import type { Pod } from '../../../api/schema/pod.js';
import type { ResourceQuota } from '../../../api/schema/tenancy.js';
import type { ConfigMap } from '../../../api/schema/config.js';
import type { PersistentVolumeClaim } from '../../../api/schema/storage.js';

const pod = (name: string, ns: string, requests?: Record<string, string>, limits?: Record<string, string>): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns },
  spec: { containers: [{ name: 'c', image: 'busybox', resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) } }] },
});
const quota = (name: string, ns: string, hard: Record<string, string>): ResourceQuota => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace: ns }, spec: { hard } });
const refused = (pattern: RegExp) => (e: unknown): boolean => {
  assert.ok(e instanceof ApiError, String(e));
  assert.equal(e.code, 'Forbidden');
  assert.match(e.message, pattern);
  return true;
};

describe('ResourceQuota admission', () => {
  let t: TestApi;
  before(async () => { t = await openTestApi({ prefix: 't3-quota-' }); });
  after(async () => { await t.close(); });

  test("a pod past the quota is refused with Kubernetes' message naming the quota, requested, used and limited", async () => {
    await t.api.create('resourcequotas', quota('team-a-quota', 'qa', { 'requests.cpu': '4', 'requests.memory': '1Gi', pods: '10' }));
    await t.api.create('pods', pod('p1', 'qa', { cpu: '2', memory: '256Mi' }));
    await t.api.create('pods', pod('p2', 'qa', { cpu: '1', memory: '256Mi' }));
    await assert.rejects(t.api.create('pods', pod('p3', 'qa', { cpu: '2', memory: '256Mi' })),
      refused(/^pods "p3" is forbidden: exceeded quota: team-a-quota, requested: requests\.cpu=2, used: requests\.cpu=3, limited: requests\.cpu=4$/));
    const q = await t.api.get<ResourceQuota>('resourcequotas', 'team-a-quota', 'qa');
    assert.deepEqual(q.status?.used, { pods: '2', 'requests.cpu': '3', 'requests.memory': '512Mi' }, 'admitted pods are charged, the refused one is not');
    await t.api.create('pods', pod('p4', 'qa', { cpu: '1', memory: '100Mi' })); // exactly to the limit
  });

  test('a quota on cpu makes requests mandatory (must specify)', async () => {
    await t.api.create('resourcequotas', quota('compute', 'qb', { 'requests.cpu': '1', 'limits.memory': '1Gi' }));
    await assert.rejects(t.api.create('pods', pod('bare', 'qb')),
      refused(/^pods "bare" is forbidden: failed quota: compute: must specify limits\.memory for: c; requests\.cpu for: c$/));
    await t.api.create('pods', pod('ok', 'qb', { cpu: '500m' }, { memory: '100Mi' }));
  });

  test('object counts and GPUs: count/configmaps, configmaps, requests.nvidia.com/gpu', async () => {
    await t.api.create('resourcequotas', quota('objects', 'qc', { configmaps: '1', 'requests.nvidia.com/gpu': '1' }));
    const cm = (name: string): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'qc' }, data: {} });
    await t.api.create('configmaps', cm('one'));
    await assert.rejects(t.api.create('configmaps', cm('two')), refused(/exceeded quota: objects, requested: configmaps=1, used: configmaps=1, limited: configmaps=1/));
    await t.api.create('pods', pod('gpu1', 'qc', undefined, { 'nvidia.com/gpu': '1' }));
    await assert.rejects(t.api.create('pods', pod('gpu2', 'qc', { 'nvidia.com/gpu': '1' })), refused(/requested: requests\.nvidia\.com\/gpu=1, used: requests\.nvidia\.com\/gpu=1, limited: requests\.nvidia\.com\/gpu=1/));
  });

  test('claims: persistentvolumeclaims and requests.storage', async () => {
    await t.api.create('resourcequotas', quota('storage', 'qg', { persistentvolumeclaims: '2', 'requests.storage': '10Gi' }));
    const claim = (name: string, storage: string): PersistentVolumeClaim => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'qg' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } } });
    await t.api.create('persistentvolumeclaims', claim('a', '8Gi'));
    await assert.rejects(t.api.create('persistentvolumeclaims', claim('b', '4Gi')), refused(/^persistentvolumeclaims "b" is forbidden: exceeded quota: storage, requested: requests\.storage=4Gi, used: requests\.storage=8Gi, limited: requests\.storage=10Gi$/));
    await t.api.create('persistentvolumeclaims', claim('c', '2Gi'));
  });

  test('count/deployments.apps counts Deployments', async () => {
    await t.api.create('resourcequotas', quota('deploys', 'qh', { 'count/deployments.apps': '1' }));
    const deploy = (name: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'qh' },
      spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } } });
    await t.api.create('deployments', deploy('one'));
    await assert.rejects(t.api.create('deployments', deploy('two')), refused(/^deployments\.apps "two" is forbidden: exceeded quota: deploys, requested: count\/deployments\.apps=1, used: count\/deployments\.apps=1, limited: count\/deployments\.apps=1$/));
  });

  test('a dry run is checked but charges nothing', async () => {
    await t.api.create('resourcequotas', quota('dry', 'qd', { pods: '1' }));
    await t.api.create('pods', pod('a', 'qd'), { dryRun: true });
    await t.api.create('pods', pod('a', 'qd'));
    await assert.rejects(t.api.create('pods', pod('b', 'qd'), { dryRun: true }), refused(/exceeded quota: dry/));
  });

  test('concurrent creates never overshoot the quota', async () => {
    await t.api.create('resourcequotas', quota('race', 'qe', { pods: '5', 'requests.cpu': '5' }));
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => t.api.create('pods', pod(`r${i}`, 'qe', { cpu: '1' }))));
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    assert.equal(ok, 5, 'exactly the quota is admitted');
    for (const r of results) if (r.status === 'rejected') assert.match(String(r.reason), /exceeded quota: race|too many concurrent creates/);
    assert.equal((await t.api.list('pods', 'qe')).items.length, 5);
  });

  test('an invalid quota is refused with the field and what is expected', async () => {
    await assert.rejects(t.api.create('resourcequotas', quota('bad', 'qf', { 'requests.cpu': 'lots' })), (e: unknown) => {
      assert.ok(e instanceof ApiError && e.code === 'Invalid');
      assert.match(e.message, /spec\.hard\[requests\.cpu\]: "lots" is not a quantity/);
      return true;
    });
  });
});
