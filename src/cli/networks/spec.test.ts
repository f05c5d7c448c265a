import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Network } from '../../api/schema/network.js';
import { networkFromFlags, overlapOf, pickSubnet } from './spec.js';

const existing: Network[] = [{ apiVersion: 'lantern.dev/v1', kind: 'Network', metadata: { name: 'a' }, spec: { driver: 'bridge', subnet: '172.20.0.0/16' } }];
const flags = { options: [], labels: [] };

test('overlapping subnets are refused naming the other network or Lantern range', () => {
  assert.match(overlapOf('172.20.5.0/24', existing) ?? '', /overlaps network a \(172.20.0.0\/16\); pick another --subnet/);
  assert.match(overlapOf('10.43.0.0/24', existing) ?? '', /overlaps the service range/);
  assert.equal(overlapOf('172.21.0.0/24', existing), undefined);
  assert.throws(() => networkFromFlags('b', { ...flags, subnet: '10.88.1.0/24' }, existing), /default pod network/);
});

test('a subnet is picked from the free part of Docker\'s pool; driver options as Docker spells them', () => {
  assert.equal(pickSubnet(existing), '172.21.0.0/16');
  const n = networkFromFlags('sriov-net', { ...flags, driver: 'sriov', physicalInterface: 'enp6s0f0', vlan: '100' }, existing);
  assert.deepEqual(n.spec, { driver: 'sriov', subnet: '172.21.0.0/16', vlan: 100, physicalInterface: 'enp6s0f0' });
  const m = networkFromFlags('mv', { ...flags, driver: 'macvlan', subnet: '192.168.50.0/24', options: ['parent=eth0'] }, existing);
  assert.equal(m.spec.parent, 'eth0');
  assert.throws(() => networkFromFlags('x', { ...flags, driver: 'weave' }, existing), /invalid --driver "weave"/);
});
