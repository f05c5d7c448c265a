import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { diffEntries, emptyDiff } from './diff.js';
import { networkAddress, planRoutes, type Peer } from './plan.js';

const peers: Peer[] = [
  { name: 'b', podCIDR: '10.42.1.0/24', nodeIP: '192.168.1.12', vtepMac: '0a:00:00:00:00:02' },
  { name: 'a', podCIDR: '10.42.0.0/24', nodeIP: '192.168.1.11', vtepMac: '0a:00:00:00:00:01' },
  { name: 'c', podCIDR: '10.42.2.0/24', nodeIP: '192.168.1.13', vtepMac: '0A:00:00:00:00:03' },
];

describe('pod route plan', () => {
  test('vxlan: per other node a route via its .0 onlink, a neighbour .0 -> VTEP MAC and an fdb MAC -> node address', () => {
    const p = planRoutes('a', '10.42.0.0/24', 'vxlan', peers);
    assert.deepEqual(p.routes, [
      { dst: '10.42.1.0/24', via: '10.42.1.0', dev: 'lantern.1', onlink: true },
      { dst: '10.42.2.0/24', via: '10.42.2.0', dev: 'lantern.1', onlink: true },
    ]);
    assert.deepEqual(p.neighs, [{ ip: '10.42.1.0', mac: '0a:00:00:00:00:02', dev: 'lantern.1' }, { ip: '10.42.2.0', mac: '0a:00:00:00:00:03', dev: 'lantern.1' }]);
    assert.deepEqual(p.fdbs, [{ mac: '0a:00:00:00:00:02', dst: '192.168.1.12', dev: 'lantern.1' }, { mac: '0a:00:00:00:00:03', dst: '192.168.1.13', dev: 'lantern.1' }]);
  });

  test('host-gw: per other node a route to its range via its address, nothing else', () => {
    const p = planRoutes('b', '10.42.1.0/24', 'host-gw', peers);
    assert.deepEqual(p, { routes: [{ dst: '10.42.0.0/24', via: '192.168.1.11' }, { dst: '10.42.2.0/24', via: '192.168.1.13' }], neighs: [], fdbs: [] });
  });

  test('peers without a range, an address or (vxlan) a MAC, or with a range overlapping ours or a peer\'s, are left out', () => {
    const odd: Peer[] = [
      { name: 'no-cidr', nodeIP: '192.168.1.20', vtepMac: '0a:00:00:00:00:20' },
      { name: 'no-ip', podCIDR: '10.42.5.0/24', vtepMac: '0a:00:00:00:00:21' },
      { name: 'no-mac', podCIDR: '10.42.6.0/24', nodeIP: '192.168.1.22' },
      { name: 'bad-mac', podCIDR: '10.42.7.0/24', nodeIP: '192.168.1.23', vtepMac: 'zz' },
      { name: 'overlaps-us', podCIDR: '10.42.0.0/16', nodeIP: '192.168.1.24', vtepMac: '0a:00:00:00:00:24' },
      { name: 'x-dup', podCIDR: '10.42.1.0/24', nodeIP: '192.168.1.25', vtepMac: '0a:00:00:00:00:25' },
    ];
    const p = planRoutes('a', '10.42.0.0/24', 'vxlan', [...peers, ...odd]);
    assert.deepEqual(p.routes.map((r) => r.dst), ['10.42.1.0/24', '10.42.2.0/24']);
    assert.deepEqual(planRoutes('a', '10.42.0.0/24', 'host-gw', odd).routes.map((r) => r.dst), ['10.42.7.0/24', '10.42.6.0/24', '10.42.1.0/24']);
  });

  test('network address of a range', () => {
    assert.equal(networkAddress('10.42.3.0/24'), '10.42.3.0');
    assert.equal(networkAddress('10.9.0.64/26'), '10.9.0.64');
    assert.equal(networkAddress('nope'), undefined);
  });
});

describe('pod route diff', () => {
  const all = planRoutes('a', '10.42.0.0/24', 'vxlan', peers);

  test('from nothing: everything is added; the same plan again changes nothing', () => {
    const d = diffEntries({ routes: [], neighs: [], fdbs: [] }, all);
    assert.deepEqual(d.add, all);
    assert.ok(emptyDiff(diffEntries(all, planRoutes('a', '10.42.0.0/24', 'vxlan', [...peers].reverse()))));
  });

  test('a node removed: its route, neighbour and fdb entry go, the others stay', () => {
    const d = diffEntries(all, planRoutes('a', '10.42.0.0/24', 'vxlan', peers.filter((p) => p.name !== 'c')));
    assert.deepEqual(d.remove, {
      routes: [{ dst: '10.42.2.0/24', via: '10.42.2.0', dev: 'lantern.1', onlink: true }],
      neighs: [{ ip: '10.42.2.0', mac: '0a:00:00:00:00:03', dev: 'lantern.1' }],
      fdbs: [{ mac: '0a:00:00:00:00:03', dst: '192.168.1.13', dev: 'lantern.1' }],
    });
    assert.deepEqual(d.add, { routes: [], neighs: [], fdbs: [] });
  });

  test('a node that moved to another address: its fdb entry is replaced, nothing removed', () => {
    const moved = peers.map((p) => (p.name === 'b' ? { ...p, nodeIP: '192.168.1.99' } : p));
    const d = diffEntries(all, planRoutes('a', '10.42.0.0/24', 'vxlan', moved));
    assert.deepEqual(d.add.fdbs, [{ mac: '0a:00:00:00:00:02', dst: '192.168.1.99', dev: 'lantern.1' }]);
    assert.deepEqual(d.remove, { routes: [], neighs: [], fdbs: [] });
  });
});
