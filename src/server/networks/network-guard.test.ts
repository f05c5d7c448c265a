import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/pod.js';
import type { Network } from '../../api/schema/network.js';
import { ApiError } from '../../api/errors.js';
import { withTestApi } from '../../testing/api.js';

const network = (name: string): Network => ({ apiVersion: 'lantern.dev/v1', kind: 'Network', metadata: { name }, spec: { driver: 'bridge', subnet: '10.77.250.0/24' } });
const pod = (name: string, annotations: Record<string, string>): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, annotations }, spec: { containers: [{ name: 'main', image: 'busybox' }] },
} as Pod);

test('the API server refuses deleting a Network a pod is on (primary or extra), naming the pods, and deletes it once they are gone', async () => {
  await withTestApi(async ({ api }) => {
    await api.create('networks', network('front'));
    await api.create('networks', network('spare'));
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
