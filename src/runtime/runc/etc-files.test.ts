import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { containerHosts, containerResolvConf } from './etc-files.js';

describe('a container\'s /etc/hosts', () => {
  test('has Docker\'s loopback names, then the hostname on 127.0.1.1', () => {
    const hosts = containerHosts({ hostname: 'web', hostNetwork: false });
    for (const names of ['localhost', 'localhost ip6-localhost ip6-loopback', 'ip6-localnet', 'ip6-mcastprefix', 'ip6-allnodes', 'ip6-allrouters']) {
      assert.match(hosts, new RegExp(`^\\S+\\t${names}$`, 'm'), names);
    }
    assert.ok(hosts.endsWith('127.0.1.1\tweb\n'), hosts);
  });

  test('an extra entry that names the hostname replaces 127.0.1.1', () => {
    const hosts = containerHosts({ hostname: 'web', hostNetwork: false, extraHosts: [{ ip: '10.0.0.5', names: ['web', 'web.local'] }] });
    assert.ok(hosts.endsWith('10.0.0.5\tweb web.local\n'), hosts);
    assert.doesNotMatch(hosts, /127\.0\.1\.1/);
  });
});

describe('a container\'s /etc/resolv.conf', () => {
  test('drops the host\'s loopback resolvers in a network namespace and falls back to Docker\'s', () => {
    assert.equal(containerResolvConf('nameserver 127.0.0.53\nsearch lan\n', false), 'search lan\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n');
  });

  test('keeps them on the host network, and the pod\'s own settings replace the host\'s', () => {
    assert.equal(containerResolvConf('nameserver 127.0.0.53\n', true), 'nameserver 127.0.0.53\n');
    assert.equal(containerResolvConf('nameserver 10.0.0.1\nsearch lan\n', false, { nameservers: ['10.43.0.10'], searches: ['svc.cluster.local'] }),
      'search svc.cluster.local\nnameserver 10.43.0.10\n');
  });
});
