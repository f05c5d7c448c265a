import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CniError } from './cni-exec.js';
import { CniNetwork } from './cni-network.js';
import { netnsExists, podKey } from './netns.js';
import { freePort, inNetns, iptablesLines, sandbox, sh, type Sandbox } from './testkit.js';

describe('addresses are returned on teardown', () => {
  let box: Sandbox;
  before(async () => {
    box = await sandbox(30); // one usable pod address: .2 (.1 is the gateway)
    box.pods.add('first').add('second');
  });
  after(async () => { await box.cleanup(); });

  test('a full subnet fails with the plugin\'s error, and teardown frees the address for a new pod', async () => {
    const first = await box.net.setUp('first', 'bridge', []);
    await assert.rejects(box.net.setUp('second', 'bridge', []), (e: unknown) => {
      assert.ok(e instanceof CniError);
      assert.equal(e.plugin, 'bridge');
      assert.match(e.message, /no IP addresses available/);
      assert.match(e.message, /subnet is full/);
      return true;
    });
    assert.equal(await netnsExists(`${box.options.netnsPrefix}second`), false, 'failed ADD cleaned up its namespace');
    await box.net.tearDown('first', []);
    const second = await box.net.setUp('second', 'bridge', []);
    assert.equal(second.ip, first.ip);
  });

  test('a namespace deleted behind our back is not "existing", and teardown still frees its address and rules', async () => {
    const pod = await box.net.existing('second');
    assert.ok(pod?.ip);
    await sh('ip', ['netns', 'delete', `${box.options.netnsPrefix}second`]);
    assert.equal(await box.net.existing('second'), undefined);
    await box.net.tearDown('second', []);
    assert.deepEqual(await iptablesLines(`id: \\"second\\"`), []);
    assert.deepEqual(await iptablesLines(`${pod.ip}/32`), []);
    const again = await box.net.setUp('first', 'bridge', []);
    assert.equal(again.ip, pod.ip);
    await box.net.tearDown('first', []);
  });
});

describe('network mode none and pod ids', () => {
  let box: Sandbox;
  before(async () => { box = await sandbox(); });
  after(async () => { await box.cleanup(); });

  test('mode none gives a namespace with only loopback, up', async () => {
    box.pods.add('quiet');
    const pod = await box.net.setUp('quiet', 'none', []);
    assert.deepEqual(pod, { netnsPath: `/var/run/netns/${box.options.netnsPrefix}quiet` });
    const links = await inNetns(`${box.options.netnsPrefix}quiet`, ['ip', '-o', 'link', 'show']);
    const lines = links.stdout.trim().split('\n');
    assert.equal(lines.length, 1, links.stdout);
    assert.match(lines[0] ?? '', /^1: lo: <LOOPBACK,UP,LOWER_UP>/);
    const ping = await inNetns(`${box.options.netnsPrefix}quiet`, ['/bin/busybox', 'ping', '-c1', '-W2', '127.0.0.1']);
    assert.equal(ping.code, 0, ping.stderr);
    assert.deepEqual(await new CniNetwork(box.options).existing('quiet'), pod);
    await box.net.tearDown('quiet', []);
    await box.net.tearDown('quiet', []);
    assert.equal(await netnsExists(`${box.options.netnsPrefix}quiet`), false);
  });

  test('long or odd pod ids get short, safe, distinct namespace names', async () => {
    const longId = 'default/a-pod-with-a-very-long-name-that-goes-on-and-on-0123456789';
    box.pods.add(longId);
    const key = podKey(longId);
    assert.match(key, /^default-a-pod-with-a-ver-[0-9a-f]{12}$/);
    assert.notEqual(podKey(`${longId}x`), key);
    assert.equal(podKey('3f1c2b4e-8a9d-4c1e-9b7a-1234567890ab'), '3f1c2b4e-8a9d-4c1e-9b7a-1234567890ab');
    assert.match(podKey('/'), /^[0-9a-f]{12}$/);
    const pod = await box.net.setUp(longId, 'bridge', []);
    assert.equal(pod.netnsPath, `/var/run/netns/${box.options.netnsPrefix}${key}`);
    assert.deepEqual(await box.net.list(), [longId]);
    await box.net.tearDown(longId, []);
  });

  test('the saved record holds the exact config and ADD result that DEL replays', async () => {
    box.pods.add('saved');
    const port = await freePort();
    await box.net.setUp('saved', 'bridge', [{ hostPort: port, containerPort: 80, protocol: 'tcp' }]);
    const rec = JSON.parse(await readFile(join(box.options.stateDir, 'pods', 'saved.json'), 'utf8')) as Record<string, unknown>;
    const bridge = rec.bridge as { list: { name: string; plugins: { type: string }[] }; result: { cniVersion: string; ips: unknown[] } };
    assert.equal(bridge.list.name, box.options.networkName);
    assert.deepEqual(bridge.list.plugins.map((p) => p.type), ['bridge', 'portmap']);
    assert.equal(bridge.result.cniVersion, '1.0.0');
    assert.equal(bridge.result.ips.length, 1);
    await box.net.tearDown('saved', []);
  });

  test('a pod that publishes no port runs no portmap, and the bridge forwards through FORWARD once', async () => {
    box.pods.add('plain');
    await box.net.setUp('plain', 'bridge', []);
    const rec = JSON.parse(await readFile(join(box.options.stateDir, 'pods', 'plain.json'), 'utf8')) as { bridge: { list: { plugins: { type: string }[] } } };
    assert.deepEqual(rec.bridge.list.plugins.map((p) => p.type), ['bridge']);
    const { execFileSync } = await import('node:child_process');
    const forward = execFileSync('iptables', ['-w', '-S', 'FORWARD'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(`lantern ${box.options.bridge}`));
    assert.equal(forward.length, 2, 'one rule out of the bridge, one into it for replies and published ports');
    const nat = execFileSync('iptables', ['-w', '-t', 'nat', '-S', 'POSTROUTING'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(`lantern ${box.options.bridge}`));
    assert.deepEqual(nat.map((l) => /-s (\S+) ! -d (\S+) .*-j MASQUERADE/.exec(l)?.slice(1)), [[box.options.subnet, box.options.subnet]], 'traffic leaving the pod subnet is masqueraded by one rule');
    await box.net.tearDown('plain', []);
  });

  test('a setUp cut short by a crash is cleaned up and redone by the next setUp', async () => {
    box.pods.add('crashy');
    await box.net.setUp('crashy', 'bridge', []);
    const file = join(box.options.stateDir, 'pods', 'crashy.json');
    const rec = JSON.parse(await readFile(file, 'utf8')) as { phase: string };
    rec.phase = 'adding'; // as if the agent died before its last write
    await writeFile(file, JSON.stringify(rec));
    const restarted = new CniNetwork(box.options);
    assert.equal(await restarted.existing('crashy'), undefined);
    const pod = await restarted.setUp('crashy', 'bridge', []);
    assert.ok(pod.ip);
    await restarted.check('crashy');
    await restarted.tearDown('crashy', []);
  });

  test('teardown with the record lost still DELs: address, rules and namespace go', async () => {
    box.pods.add('amnesia');
    const port = await freePort();
    const ports = [{ hostPort: port, containerPort: 80, protocol: 'tcp' as const }];
    const pod = await box.net.setUp('amnesia', 'bridge', ports);
    await rm(join(box.options.stateDir, 'pods', 'amnesia.json'));
    await box.net.tearDown('amnesia', ports);
    assert.equal(await netnsExists(`${box.options.netnsPrefix}amnesia`), false);
    assert.deepEqual(await iptablesLines(`${String(pod.ip)}/32`), []);
    assert.deepEqual(await iptablesLines(`--dport ${port} `), []);
    const ipam = await readdir(join(box.options.stateDir, 'ipam', box.options.networkName));
    assert.equal(ipam.includes(String(pod.ip)), false, ipam.join(' '));
  });

  test('a namespace of the same name that this network did not make is reported, not taken over', async () => {
    box.pods.add('foreign');
    const name = `${box.options.netnsPrefix}foreign`;
    await sh('ip', ['netns', 'add', name]);
    await assert.rejects(box.net.setUp('foreign', 'bridge', []), new RegExp(`network namespace ${name} exists but .* has no record of it`));
    assert.equal(await netnsExists(name), true);
    await sh('ip', ['netns', 'delete', name]);
  });

  test('CHECK notices a published port whose DNAT rule was removed', async () => {
    box.pods.add('checked');
    const port = await freePort();
    await box.net.setUp('checked', 'bridge', [{ hostPort: port, containerPort: 80, protocol: 'tcp' }]);
    await box.net.check('checked');
    const rules = await iptablesLines(`--dport ${port} -j DNAT`);
    assert.equal(rules.length, 1, rules.join('\n'));
    const del = await sh('iptables', ['-w', '-t', 'nat', ...(rules[0] ?? '').replace(/^-A /, '-D ').split(' ')]);
    assert.equal(del.code, 0, del.stderr);
    await assert.rejects(box.net.check('checked'), new RegExp(`CNI plugin "portmap" failed CHECK .*--dport ${port} -j DNAT`));
    await box.net.tearDown('checked', []);
    await assert.rejects(box.net.check('checked'), /has no network set up here/);
  });
});
