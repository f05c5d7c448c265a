/** The node component over a real API: Services and EndpointSlices in, working ClusterIPs in a lab namespace. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { openTestApi, type TestApi } from '../../testing/api.js';
import { eventually } from '../../testing/eventually.js';
import { fixtureService, fixtureSlice } from '../../network/service-proxy/fixtures.js';
import { ProxyLab } from '../../network/service-proxy/lab.js';
import type { EndpointSlice } from '../../api/schema/endpoint-slice.js';
import { ServiceProxy } from './service-proxy.js';

describe('the node service proxy follows the API', () => {
  const lab = new ProxyLab(2);
  let t: TestApi;
  let proxy: ServiceProxy;
  const replies = (ip: string, n: number): string[] => [...new Set(lab.connect(lab.node, ip, 80, n).map((r) => r.reply ?? r.error ?? '?'))].sort();

  before(async () => {
    lab.create();
    await lab.waitServers();
    t = await openTestApi();
    proxy = new ServiceProxy({ api: t.api, bridge: lab.bridge, command: lab.nftCommand, log: () => undefined });
    await t.api.create('services', fixtureService('web', '10.43.1.10', 80));
    await t.api.create('endpointslices', fixtureSlice('web', 8080, [lab.pods[0]!.ip]));
    await proxy.start();
  });

  after(async () => {
    await proxy.stop({ removeRules: true }).catch(() => undefined);
    await t.close();
    lab.destroy();
    assert.deepEqual(lab.leftovers(), []);
  });

  test('what was there at start is programmed; a slice change reaches the rules', async () => {
    await proxy.idle();
    assert.deepEqual(replies('10.43.1.10', 5), ['pod1']);
    const slice = await t.api.get<EndpointSlice>('endpointslices', 'web-a', 'default');
    await t.api.update('endpointslices', { ...slice, endpoints: [{ addresses: [lab.pods[1]!.ip], conditions: { ready: true } }] });
    await eventually('pod2 answers the ClusterIP', () => replies('10.43.1.10', 5).join() === 'pod2');
  });

  test('a Service created later answers; with no endpoint it is refused, deleted its rules go', async () => {
    await t.api.create('services', fixtureService('late', '10.43.1.11', 80));
    await eventually('no endpoints: refused', () => replies('10.43.1.11', 1).join() === 'ECONNREFUSED');
    await t.api.create('endpointslices', fixtureSlice('late', 8080, [lab.pods[0]!.ip, lab.pods[1]!.ip]));
    await eventually('both pods answer', () => replies('10.43.1.11', 30).join() === 'pod1,pod2');
    await t.api.delete('services', 'late', 'default');
    await eventually('its rules are gone', () => !spawnSync('ip', ['netns', 'exec', lab.node, 'nft', 'list', 'table', 'ip', proxy.syncer.table], { encoding: 'utf8' }).stdout.includes('10.43.1.11'));
  });

  test('stopped, the rules stay (pods keep running); a new proxy replaces the table, not adds to it', async () => {
    await proxy.stop();
    assert.deepEqual(replies('10.43.1.10', 3), ['pod2']);
    proxy = new ServiceProxy({ api: t.api, bridge: lab.bridge, command: lab.nftCommand, log: () => undefined });
    await proxy.start();
    await proxy.idle();
    const tables = spawnSync('ip', ['netns', 'exec', lab.node, 'nft', 'list', 'tables'], { encoding: 'utf8' }).stdout;
    assert.equal(tables.split('\n').filter((l) => l.includes(proxy.syncer.table)).length, 1);
    assert.deepEqual(replies('10.43.1.10', 3), ['pod2']);
  });
});
