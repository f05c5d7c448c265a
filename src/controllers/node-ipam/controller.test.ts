import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../../api/node.js';
import type { Event } from '../../api/schema/event.js';
import { backendAnnotation, clusterCidrAnnotation } from '../../api/pod-network.js';
import type { ApiClient } from '../../client/types.js';
import { eventually } from '../../testing/eventually.js';
import { withTestApi } from '../../testing/api.js';
import { NodeIpamController } from './controller.js';

const node = (name: string, labels: Record<string, string> = {}): Node => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: {}, status: {} });
const cidrOf = async (api: ApiClient, name: string): Promise<string | undefined> => (await api.get<Node>('nodes', name)).spec?.podCIDR;

async function running(api: ApiClient, clusterCidr = '10.42.0.0/16', mask = 24): Promise<NodeIpamController> {
  const c = new NodeIpamController({ api, clusterCidr, nodeCidrMaskSize: mask, backend: 'vxlan', log: () => undefined });
  await c.start();
  return c;
}

describe('node IPAM controller', () => {
  test('every node gets its own /24 of the cluster CIDR and the backend annotations; simulated nodes get none', () => withTestApi(async ({ api }) => {
    const c = await running(api);
    try {
      for (const n of ['a', 'b', 'c']) await api.create('nodes', node(n));
      await api.create('nodes', node('sim-1', { 'lantern.dev/simulated': 'true' }));
      const cidrs = await eventually('three podCIDRs', async () => {
        const got = await Promise.all(['a', 'b', 'c'].map((n) => cidrOf(api, n)));
        return got.every((g) => g !== undefined) ? got : undefined;
      });
      assert.equal(new Set(cidrs).size, 3, cidrs.join(','));
      for (const cidr of cidrs) assert.match(cidr!, /^10\.42\.\d+\.0\/24$/);
      const a = await api.get<Node>('nodes', 'a');
      assert.equal(a.metadata.annotations?.[backendAnnotation], 'vxlan');
      assert.equal(a.metadata.annotations?.[clusterCidrAnnotation], '10.42.0.0/16');
      assert.equal(await cidrOf(api, 'sim-1'), undefined);
    } finally { c.stop(); }
  }));

  test('a restarted controller rebuilds from the stored Nodes: a new node never gets a range already held', () => withTestApi(async ({ api }) => {
    const first = await running(api, '10.9.0.0/24', 26);
    for (const n of ['a', 'b']) await api.create('nodes', node(n));
    const held = await eventually('a and b have ranges', async () => {
      const got = await Promise.all(['a', 'b'].map((n) => cidrOf(api, n)));
      return got.every((g) => g !== undefined) ? got : undefined;
    });
    first.stop();
    const second = await running(api, '10.9.0.0/24', 26);
    try {
      for (const n of ['c', 'd']) await api.create('nodes', node(n));
      const fresh = await eventually('c and d have ranges', async () => {
        const got = await Promise.all(['c', 'd'].map((n) => cidrOf(api, n)));
        return got.every((g) => g !== undefined) ? got : undefined;
      });
      assert.equal(new Set([...held, ...fresh]).size, 4, [...held, ...fresh].join(','));
    } finally { second.stop(); }
  }));

  test('exhausted: the node gets a CIDRNotAvailable event and no range, and gets the range a deleted node frees', () => withTestApi(async ({ api }) => {
    const c = await running(api, '10.9.0.0/24', 25);
    try {
      for (const n of ['a', 'b']) await api.create('nodes', node(n));
      await eventually('a and b have ranges', async () => (await cidrOf(api, 'a')) && (await cidrOf(api, 'b')));
      await api.create('nodes', node('c'));
      const ev = await eventually('CIDRNotAvailable event', async () => (await api.list<Event>('events', 'default')).items.find((e) => e.reason === 'CIDRNotAvailable'));
      assert.equal(ev.involvedObject.name, 'c');
      assert.match(ev.message ?? '', /--cluster-cidr 10\.9\.0\.0\/24 holds 2 ranges of \/25.*larger --cluster-cidr/);
      assert.equal(await cidrOf(api, 'c'), undefined);
      const freed = await cidrOf(api, 'a');
      await api.delete('nodes', 'a');
      assert.equal(await eventually('c gets the freed range', () => cidrOf(api, 'c')), freed);
    } finally { c.stop(); }
  }));
});
