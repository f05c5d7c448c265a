import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Network } from '../../api/schema/network.js';
import { bridgeNameOf, userConflist, vlanLinkName } from './conflist.js';
import { VfAllocator } from './vf-allocator.js';
import { ApiError } from '../../api/errors.js';

const net = (spec: Partial<Network['spec']>, name = 'front'): Network => ({ apiVersion: 'lantern.dev/v1', kind: 'Network', metadata: { name }, spec: { driver: 'bridge', subnet: '172.30.0.0/24', ...spec } });

describe('user network conflists', () => {
  test('a bridge network gets its own bridge, masquerade, and host-local over its subnet with the default route', () => {
    const l = userConflist(net({ gateway: '172.30.0.254', ipRange: '172.30.0.128/25' }), { ipamDir: '/s/ipam', defaultRoute: true });
    const p = l.plugins[0]!;
    assert.equal(p.type, 'bridge');
    assert.equal(p.bridge, bridgeNameOf('front'));
    assert.ok(bridgeNameOf('front').length <= 15);
    assert.notEqual(bridgeNameOf('front'), bridgeNameOf('back'));
    assert.deepEqual(p.ipam, { type: 'host-local', ranges: [[{ subnet: '172.30.0.0/24', gateway: '172.30.0.254', rangeStart: '172.30.0.129', rangeEnd: '172.30.0.254' }]], routes: [{ dst: '0.0.0.0/0' }], dataDir: '/s/ipam' });
  });
  test('an extra network (net1) gets no default route; a requested --ip goes to host-local as args.cni.ips', () => {
    const p = userConflist(net({}), { ipamDir: '/i', ip: '172.30.0.9' }).plugins[0]!;
    assert.equal((p.ipam as { routes?: unknown }).routes, undefined);
    assert.deepEqual(p.args, { cni: { ips: ['172.30.0.9'] } });
  });
  test('macvlan with --vlan hangs off PARENT.VLAN; host-device and sriov move a device', () => {
    assert.equal(userConflist(net({ driver: 'macvlan', parent: 'eth0', vlan: 100 }), { ipamDir: '/i' }).plugins[0]!.master, 'eth0.100');
    assert.equal(vlanLinkName('enp6s0f0verylong', 4094), 'enp6s0f0ve.4094');
    assert.equal(userConflist(net({ driver: 'host-device', parent: 'eth1' }), { ipamDir: '/i' }).plugins[0]!.device, 'eth1');
    const s = userConflist(net({ driver: 'sriov', physicalInterface: 'enp6s0f0' }), { ipamDir: '/i', device: 'enp6s0f0v2' }).plugins[0]!;
    assert.equal(s.type, 'host-device');
    assert.equal(s.device, 'enp6s0f0v2');
  });
});

describe('VF allocator', () => {
  const vfs = [{ index: 0, netdev: 'vf0' }, { index: 1, netdev: 'vf1' }, { index: 2, netdev: 'vf2' }];
  test('never gives one VF twice; the asked-for index, the lowest free otherwise', () => {
    const a = new VfAllocator();
    assert.equal(a.claim('pf', vfs, 'p1', 2).index, 2);
    assert.equal(a.claim('pf', vfs, 'p2').index, 0);
    assert.equal(a.claim('pf', vfs, 'p2').index, 0, 'the same pod asking again keeps its VF');
    assert.throws(() => a.claim('pf', vfs, 'p3', 2), (e: unknown) => e instanceof ApiError && e.code === 'Conflict' && /VF 2 of pf is taken by pod p1/.test(e.message));
    assert.equal(a.claim('pf', vfs, 'p3').index, 1);
    assert.throws(() => a.claim('pf', vfs, 'p4'), /no free virtual function on pf/);
    assert.equal(a.free('pf', vfs), 0);
    a.releasePod('p1');
    assert.equal(a.free('pf', vfs), 1);
    assert.equal(a.claim('pf', vfs, 'p4', 2).index, 2);
  });
  test('an index out of range names the range', () => {
    assert.throws(() => new VfAllocator().claim('pf', vfs, 'p', 7), (e: unknown) => e instanceof ApiError && e.code === 'Invalid' && /sriov_vf=7 is out of range: pf has 3 virtual function\(s\) enabled \(0-2\)/.test(e.message));
  });
});
