import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { networkConfigFromFlags } from './network-flags.js';

describe('lanternd server pod network flags', () => {
  test('defaults: k3s\'s ranges, a /24 per node, vxlan', () => {
    assert.deepEqual(networkConfigFromFlags({}), { clusterCidr: '10.42.0.0/16', serviceCidr: '10.43.0.0/16', nodeCidrMaskSize: 24, backend: 'vxlan' });
  });

  test('overlapping cluster and service CIDRs are a startup error naming both flags', () => {
    assert.throws(() => networkConfigFromFlags({ 'cluster-cidr': '10.0.0.0/8', 'service-cidr': '10.43.0.0/16' }),
      /--cluster-cidr 10\.0\.0\.0\/8 and --service-cidr 10\.43\.0\.0\/16 overlap: .*change one of them/);
  });

  test('bad values name the flag and what is expected', () => {
    assert.throws(() => networkConfigFromFlags({ 'cluster-cidr': '10.42.0.0' }), /--cluster-cidr: "10.42.0.0" is not an IPv4 CIDR/);
    assert.throws(() => networkConfigFromFlags({ 'node-cidr-mask-size': '12' }), /--node-cidr-mask-size: "12" must be a prefix length between --cluster-cidr's \/16 and \/30/);
    assert.throws(() => networkConfigFromFlags({ 'network-backend': 'flannel' }), /--network-backend: unknown backend "flannel": use vxlan, host-gw, none/);
  });
});
