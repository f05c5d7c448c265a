/** The proxy's rules in a real kernel: nft in a node namespace of its own, socat servers in pod namespaces. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { compileService, type ServiceRules } from './compile.js';
import { fixtureService, fixtureSlice } from './fixtures.js';
import { ProxyLab } from './lab.js';
import { NftSyncer } from './syncer.js';
import type { Service } from '../../api/schema/service.js';
import type { EndpointSlice } from '../../api/schema/endpoint-slice.js';

describe('service proxy on real nftables', () => {
  const lab = new ProxyLab(3);
  const syncer = new NftSyncer({ command: lab.nftCommand, log: () => undefined });
  const desired = new Map<string, ServiceRules>();
  const [p1, p2, p3] = lab.pods as [typeof lab.pods[0], typeof lab.pods[0], typeof lab.pods[0]];
  const set = (svc: Service, slices: EndpointSlice[]): string => {
    const key = `default/${svc.metadata.name}`;
    desired.set(key, compileService(svc, slices, { podInterfaces: [lab.bridge] }));
    return key;
  };
  const answers = (netns: string, ip: string, port: number, n: number): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const r of lab.connect(netns, ip, port, n)) counts.set(r.reply ?? r.error ?? '?', (counts.get(r.reply ?? r.error ?? '?') ?? 0) + 1);
    return counts;
  };

  before(async () => {
    lab.create();
    await lab.waitServers();
    set(fixtureService('web', '10.43.0.10', 80), [fixtureSlice('web', 8080, [p1.ip, p2.ip], [p3.ip])]);
    set(fixtureService('sticky', '10.43.0.11', 80, { sessionAffinity: 'ClientIP' }), [fixtureSlice('sticky', 8080, [p1.ip, p2.ip, p3.ip])]);
    set(fixtureService('np', '10.43.0.12', 80, { type: 'NodePort', ports: [{ name: 'http', protocol: 'TCP', port: 80, nodePort: 30080 }] }), [fixtureSlice('np', 8080, [p1.ip, p2.ip])]);
    set(fixtureService('self', '10.43.0.13', 80), [fixtureSlice('self', 8080, [p1.ip])]);
    set(fixtureService('empty', '10.43.0.14', 80), [fixtureSlice('empty', 8080, [], [p1.ip])]);
    // A table a crashed agent left behind, with a chain of its own: the first sync must replace it.
    spawnSync('ip', ['netns', 'exec', lab.node, 'nft', 'add table ip lantern-proxy; add chain ip lantern-proxy leftover']);
    await syncer.fullSync(desired);
  });

  after(async () => {
    await syncer.remove().catch(() => undefined);
    lab.destroy();
    assert.deepEqual(lab.leftovers(), []);
  });

  test('the first sync replaced the table a crashed agent left', () => {
    const listing = spawnSync('ip', ['netns', 'exec', lab.node, 'nft', 'list', 'tables'], { encoding: 'utf8' }).stdout;
    assert.equal(listing.split('\n').filter((l) => l.includes('lantern-proxy')).length, 1);
    const chains = spawnSync('ip', ['netns', 'exec', lab.node, 'nft', 'list', 'chains', 'ip', 'lantern-proxy'], { encoding: 'utf8' }).stdout;
    assert.ok(!chains.includes('leftover'));
  });

  test('a ClusterIP answers from the node and from a pod, spread over the ready endpoints only', () => {
    for (const from of [lab.node, p3.netns]) {
      const counts = answers(from, '10.43.0.10', 80, 40);
      assert.deepEqual([...counts.keys()].sort(), ['pod1', 'pod2'], `from ${from}: ${JSON.stringify([...counts])}`);
    }
  });

  test('ClientIP affinity keeps a client on one endpoint', () => {
    const counts = answers(p3.netns, '10.43.0.11', 80, 20);
    assert.equal(counts.size, 1, JSON.stringify([...counts]));
  });

  test('a NodePort answers on the node address from outside and from the node', () => {
    for (const from of [lab.outside, lab.node]) {
      const counts = answers(from, lab.nodeAddress, 30080, 30);
      assert.deepEqual([...counts.keys()].sort(), ['pod1', 'pod2'], `from ${from}: ${JSON.stringify([...counts])}`);
    }
  });

  test('hairpin: a pod reaching its own Service lands on itself', () => {
    assert.deepEqual([...answers(p1.netns, '10.43.0.13', 80, 5)], [['pod1', 5]]);
  });

  test('no ready endpoint: the connection is refused at once', () => {
    const [r] = lab.connect(p2.netns, '10.43.0.14', 80, 1);
    assert.equal(r?.error, 'ECONNREFUSED');
    assert.equal(lab.connect(lab.node, '10.43.0.14', 80, 1)[0]?.error, 'ECONNREFUSED');
  });

  test('a partial sync: an endpoint removed is no longer chosen, one added is, other Services untouched', async () => {
    const key = set(fixtureService('web', '10.43.0.10', 80), [fixtureSlice('web', 8080, [p2.ip, p3.ip], [p1.ip])]);
    const r = await syncer.partialSync(desired, [key]);
    assert.equal(r.kind, 'partial');
    assert.equal(r.chainsWritten, 1, 'only the new endpoint chain: the service chain (still 2 endpoints) is untouched, its pick map rewritten');
    assert.equal(r.chainsDeleted, 1, "the removed endpoint's chain");
    assert.deepEqual([...answers(lab.node, '10.43.0.10', 80, 40).keys()].sort(), ['pod2', 'pod3']);
    // The last endpoint gone: refused, not timed out.
    set(fixtureService('web', '10.43.0.10', 80), [fixtureSlice('web', 8080, [], [p1.ip, p2.ip, p3.ip])]);
    await syncer.partialSync(desired, [key]);
    assert.equal(lab.connect(lab.node, '10.43.0.10', 80, 1)[0]?.error, 'ECONNREFUSED');
    assert.deepEqual([...answers(lab.node, '10.43.0.13', 80, 3)], [['pod1', 3]]);
  });

  test('a periodic full sync corrects drift and keeps working', async () => {
    spawnSync('ip', ['netns', 'exec', lab.node, 'nft', 'add chain ip lantern-proxy drift']);
    desired.delete('default/self');
    await syncer.fullSync(desired);
    const chains = spawnSync('ip', ['netns', 'exec', lab.node, 'nft', 'list', 'chains', 'ip', 'lantern-proxy'], { encoding: 'utf8' }).stdout;
    assert.ok(!chains.includes('drift') && !chains.includes('default/self'));
    assert.equal(answers(lab.node, '10.43.0.11', 80, 5).size, 1, 'affinity still holds');
  });

  test('stop removes the table', async () => {
    await syncer.remove();
    const listing = spawnSync('ip', ['netns', 'exec', lab.node, 'nft', 'list', 'tables'], { encoding: 'utf8' }).stdout;
    assert.ok(!listing.includes('lantern-proxy'));
  });
});
