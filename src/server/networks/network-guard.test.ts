import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/pod.js';
import type { Network } from '../../api/schema/network.js';
import { ApiError } from '../../api/errors.js';
import { withTestApi } from '../../testing/api.js';

const network = (name: string, subnet = '10.77.250.0/24'): Network => ({ apiVersion: 'lantern.dev/v1', kind: 'Network', metadata: { name }, spec: { driver: 'bridge', subnet } });
const pod = (name: string, annotations: Record<string, string>): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, annotations }, spec: { containers: [{ name: 'main', image: 'busybox' }] },
} as Pod);

test('the API server refuses deleting a Network a pod is on (primary or extra), naming the pods, and deletes it once they are gone', async () => {
  await withTestApi(async ({ api }) => {
    await api.create('networks', network('front'));
    await api.create('networks', network('spare', '10.77.251.0/24'));
    await api.create('pods', pod('web', { 'lantern.dev/network': 'front' }));
    await api.create('pods', pod('side', { 'k8s.v1.cni.cncf.io/networks': 'front' }));
    await assert.rejects(api.delete('networks', 'front'), (e: unknown) => {
      assert.ok(e instanceof ApiError && e.code === 'Conflict', String(e));
      assert.match(e.message, /network front has active endpoints \(default\/(web|side), default\/(web|side)\).*disconnect/);
      return true;
    });
    assert.equal((await api.get<Network>('networks', 'front')).metadata.name, 'front', 'still there');
    await api.delete('networks', 'spare'); // no pod on it

    await api.delete('pods', 'web'); // not bound to a node: gone at once
    await assert.rejects(api.delete('networks', 'front'), /default\/side/);
    await api.delete('pods', 'side');
    await api.delete('networks', 'front');
    await assert.rejects(api.get('networks', 'front'), /not found/i);
  });
});

test('a pod that is being deleted does not hold its network', async () => {
  await withTestApi(async ({ api }) => {
    await api.create('networks', network('front'));
    await api.create('pods', pod('web', { 'lantern.dev/network': 'front' }));
    await api.bind('default', 'web', 'node-1');
    await api.delete('pods', 'web'); // on a node: marked, the agent finishes it
    assert.ok((await api.get<Pod>('pods', 'web')).metadata.deletionTimestamp);
    await api.delete('networks', 'front');
  });
});

test('the API server refuses a Network whose subnet overlaps another Network or the server\'s ranges, naming it in spec.subnet', async () => {
  const reservedRanges = [{ cidr: '10.42.0.0/16', what: 'the cluster pod range (--cluster-cidr)' }, { cidr: '10.43.0.0/16', what: 'the service range (--service-cidr)' }];
  await withTestApi(async ({ api }) => {
    await api.create('networks', network('front', '10.77.0.0/24'));
    const refused = async (n: Network, what: RegExp): Promise<void> => {
      await assert.rejects(api.create('networks', n), (e: unknown) => {
        assert.ok(e instanceof ApiError && e.code === 'Invalid', String(e));
        assert.deepEqual(e.details?.causes?.map((c) => c.field), ['spec.subnet']);
        assert.match(e.message, what);
        return true;
      });
      await assert.rejects(api.get('networks', n.metadata.name), /not found/i, 'nothing stored');
    };
    await refused(network('inner', '10.77.0.128/25'), /10\.77\.0\.128\/25 overlaps network front \(10\.77\.0\.0\/24\); pick another subnet/);
    await refused(network('outer', '10.76.0.0/15'), /overlaps network front/);
    await refused(network('pods', '10.42.7.0/24'), /overlaps the cluster pod range \(--cluster-cidr\) 10\.42\.0\.0\/16/);
    await refused(network('svcs', '10.43.0.0/24'), /overlaps the service range \(--service-cidr\) 10\.43\.0\.0\/16/);
    await api.create('networks', network('back', '10.77.1.0/24')); // next to front: fine

    // A deleted network's subnet is free again.
    await api.delete('networks', 'front');
    await api.create('networks', network('inner', '10.77.0.128/25'));
  }, { reservedRanges });
});

test('two Networks created at once with overlapping subnets: one is refused', async () => {
  await withTestApi(async ({ api }) => {
    const results = await Promise.allSettled([api.create('networks', network('one', '10.77.9.0/24')), api.create('networks', network('two', '10.77.9.0/25'))]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
  });
});
