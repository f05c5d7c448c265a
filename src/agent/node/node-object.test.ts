import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NetworkInterfaceInfo } from 'node:os';
import { defaultRouteInterface, primaryIPv4 } from './node-object.js';

const v4 = (address: string): NetworkInterfaceInfo => ({ address, family: 'IPv4', internal: false, netmask: '255.255.255.0', mac: '02:00:00:00:00:01', cidr: `${address}/24` });
const routes = (iface: string): string => [
  'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT',
  'lantern0\t0000FE0A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0',
  `${iface}\t00000000\t01F0F00A\t0003\t0\t0\t0\t00000000\t0\t0\t0`,
].join('\n');

test('the node address is the default route\'s interface, not a pod bridge that sorts first (an agent restarted with its bridge up)', () => {
  const interfaces = { lo: [{ ...v4('127.0.0.1'), internal: true }], lantern0: [v4('10.254.0.1')], eth0: [v4('10.240.7.13')] };
  assert.equal(defaultRouteInterface(routes('eth0')), 'eth0');
  assert.equal(primaryIPv4(routes('eth0'), interfaces), '10.240.7.13');
});

test('without a default route: the first address not on a device Lantern made', () => {
  const interfaces = { 'lantern.1': [v4('10.42.1.0')], 'ln-front': [v4('172.30.0.1')], ens3: [v4('192.0.2.5')] };
  assert.equal(primaryIPv4('Iface\tDestination\tGateway\n', interfaces), '192.0.2.5');
  assert.equal(primaryIPv4('', {}), '127.0.0.1');
});
