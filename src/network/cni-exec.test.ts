import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../api/errors.js';
import { overlaps, parseCidr } from './cidr.js';
import { pluginConfig } from './cni-chain.js';
import { CniError, execPlugin, findPlugin } from './cni-exec.js';
import { CniNetwork } from './cni-network.js';
import { assertSubnetFree } from './host.js';
import { splitRule } from './iptables.js';
import { sh } from './testkit.js';
import { randomBytes, randomInt } from 'node:crypto';

const rt = { containerId: 'c1', netnsPath: '/var/run/netns/none-such', ifName: 'eth0' };

describe('CNI execution protocol', () => {
  test('a plugin\'s error JSON {code,msg} becomes a CniError that names plugin, command and code', async () => {
    await assert.rejects(execPlugin('ADD', { type: 'bridge', cniVersion: '1.0.0' }, rt, ['/usr/lib/cni']), (e: unknown) => {
      assert.ok(e instanceof CniError);
      assert.equal(e.code, 7);
      assert.equal(e.msg, 'missing network name');
      assert.match(e.message, /CNI plugin "bridge" failed ADD for container c1 .*missing network name \[CNI error 7 \(invalid network config\)\]/);
      return true;
    });
  });

  test('an unsupported cniVersion is reported as error 1 with what to install', async () => {
    await assert.rejects(execPlugin('ADD', { type: 'loopback', cniVersion: '9.9.9', name: 'x' }, rt, ['/usr/lib/cni']),
      /\[CNI error 1 \(incompatible CNI version\)\]; install containernetworking-plugins/);
  });

  test('a missing plugin names the directories searched', async () => {
    await assert.rejects(findPlugin('no-such-plugin', ['/usr/lib/cni', '/opt/cni/bin']),
      /CNI plugin "no-such-plugin" not found in \/usr\/lib\/cni, \/opt\/cni\/bin; install containernetworking-plugins/);
  });

  test('list execution injects name and cniVersion, passes runtimeConfig only to plugins declaring the capability', () => {
    const list = { cniVersion: '1.0.0', name: 'net1', plugins: [] };
    const prev = { cniVersion: '1.0.0', ips: [{ address: '10.0.0.2/24' }] };
    const args = { ...rt, capabilityArgs: { portMappings: [{ hostPort: 1, containerPort: 2, protocol: 'tcp' }] } };
    const pm = pluginConfig(list, { type: 'portmap', name: 'ignored', capabilities: { portMappings: true } }, args, prev);
    assert.equal(pm.name, 'net1');
    assert.equal(pm.cniVersion, '1.0.0');
    assert.deepEqual(pm.runtimeConfig, { portMappings: args.capabilityArgs.portMappings });
    assert.deepEqual(pm.prevResult, prev);
    const br = pluginConfig(list, { type: 'bridge' }, args);
    assert.equal(br.runtimeConfig, undefined);
    assert.equal(br.prevResult, undefined);
  });
});

describe('helpers', () => {
  test('iptables -S lines split back into the arguments that made them', () => {
    assert.deepEqual(splitRule('-A POSTROUTING -s 10.1.0.2/32 -m comment --comment "name: \\"n\\" id: \\"p\\"" -j CNI-abc'),
      ['-A', 'POSTROUTING', '-s', '10.1.0.2/32', '-m', 'comment', '--comment', 'name: "n" id: "p"', '-j', 'CNI-abc']);
  });

  test('CIDR parsing and overlap', () => {
    assert.deepEqual(parseCidr('10.88.1.7/16'), { first: 10 * 2 ** 24 + 88 * 2 ** 16, last: 10 * 2 ** 24 + 88 * 2 ** 16 + 65535, prefix: 16 });
    assert.equal(parseCidr('10.88.0.0/33'), undefined);
    assert.equal(parseCidr('fd00::/64'), undefined);
    const a = parseCidr('10.88.0.0/16');
    const b = parseCidr('10.88.200.0/24');
    const c = parseCidr('10.89.0.0/24');
    assert.ok(a && b && c);
    assert.equal(overlaps(a, b), true);
    assert.equal(overlaps(a, c), false);
  });

  test('bad options are refused when the network is constructed', () => {
    assert.throws(() => new CniNetwork({ stateDir: '/tmp/x', bridge: 'a-bridge-name-too-long' }), (e: unknown) =>
      e instanceof ApiError && /network option bridge .*Linux interface name limit/.test(e.message));
    assert.throws(() => new CniNetwork({ stateDir: '/tmp/x', subnet: '10.0.0.0/31' }), /too small/);
    assert.throws(() => new CniNetwork({ stateDir: '/tmp/x', subnet: 'banana' }), /not an IPv4 CIDR/);
    assert.throws(() => new CniNetwork({ stateDir: '' }), /stateDir is required/);
  });

  test('a subnet already routed on another interface is refused with the route named', async () => {
    const dev = `ltb${randomBytes(3).toString('hex')}`;
    const subnet = `10.${randomInt(200, 250)}.${randomInt(0, 256)}.0/24`;
    const base = subnet.replace(/0\/24$/, '');
    try {
      assert.equal((await sh('ip', ['link', 'add', dev, 'type', 'bridge'])).code, 0);
      await sh('ip', ['addr', 'add', `${base}1/24`, 'dev', dev]);
      await sh('ip', ['link', 'set', dev, 'up']);
      await assert.rejects(assertSubnetFree(subnet.replace(/\/24$/, '/16').replace(/\.\d+\.0\/16$/, '.0.0/16'), 'ltother'),
        new RegExp(`overlaps route ${base.replace(/\./g, '\\.')}0/24 on ${dev}`));
      await assertSubnetFree(subnet, dev); // our own bridge's route is fine
    } finally {
      await sh('ip', ['link', 'del', dev]);
    }
  });
});
