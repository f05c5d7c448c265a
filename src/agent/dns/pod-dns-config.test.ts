import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/pod.js';
import { podDnsConfig, usesClusterDns } from './pod-dns-config.js';
import { parseResolvConf } from './resolv-conf.js';

const host = parseResolvConf('# comment\nnameserver 127.0.0.53\nnameserver 192.0.2.53\nsearch corp.example lab.example\noptions edns0 timeout:2\n');
const pod = (spec: Partial<Pod['spec']> = {}, ns = 'shop'): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: ns }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec },
});

describe('a pod\'s resolv.conf by dnsPolicy', () => {
  test('ClusterFirst (the default): the node DNS, the Kubernetes search path then the host\'s, ndots:5', () => {
    assert.deepEqual(podDnsConfig(pod(), host, 'cluster.local', '10.42.0.1'), {
      nameservers: ['10.42.0.1'],
      searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'lab.example'],
      options: ['ndots:5'],
    });
  });

  test('Default: the node\'s resolvers, without loopback ones a pod cannot reach', () => {
    assert.deepEqual(podDnsConfig(pod({ dnsPolicy: 'Default' }), host, 'cluster.local', '10.42.0.1'), {
      nameservers: ['192.0.2.53'], searches: ['corp.example', 'lab.example'], options: ['edns0', 'timeout:2'],
    });
  });

  test('hostNetwork: ClusterFirst means the host\'s (loopback kept); ClusterFirstWithHostNet the cluster\'s', () => {
    assert.equal(usesClusterDns(pod({ hostNetwork: true })), false);
    assert.deepEqual(podDnsConfig(pod({ hostNetwork: true }), host, 'cluster.local', '10.42.0.1').nameservers, ['127.0.0.53', '192.0.2.53']);
    assert.deepEqual(podDnsConfig(pod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }), host, 'cluster.local', '10.42.0.1').nameservers, ['10.42.0.1']);
  });

  test('None: only dnsConfig', () => {
    const p = pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], searches: ['a.example'], options: [{ name: 'ndots', value: '2' }] } });
    assert.deepEqual(podDnsConfig(p, host, 'cluster.local', '10.42.0.1'), { nameservers: ['1.1.1.1'], searches: ['a.example'], options: ['ndots:2'] });
  });

  test('dnsConfig is merged: nameservers and searches appended, options replaced by name, glibc\'s limits kept', () => {
    const p = pod({ dnsConfig: { nameservers: ['1.1.1.1', '8.8.8.8', '9.9.9.9'], searches: ['x.example', 'cluster.local'], options: [{ name: 'ndots', value: '1' }, { name: 'rotate' }] } });
    const got = podDnsConfig(p, host, 'cluster.local', '10.42.0.1');
    assert.deepEqual(got.nameservers, ['10.42.0.1', '1.1.1.1', '8.8.8.8']);
    assert.deepEqual(got.searches.slice(-1), ['x.example']);
    assert.deepEqual(got.options, ['ndots:1', 'rotate']);
  });

  test('without a node DNS address ClusterFirst falls back to the node\'s resolvers', () => {
    assert.deepEqual(podDnsConfig(pod(), host, 'cluster.local', undefined).nameservers, ['192.0.2.53']);
  });
});
