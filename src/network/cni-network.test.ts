import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { CniNetwork } from './cni-network.js';
import { netnsExists } from './netns.js';
import { parseCidr, ipToInt } from './cidr.js';
import { freePort, getWhenUp, hostAddresses, inNetns, iptablesLines, sandbox, startHttpd, type Sandbox } from './testkit.js';
import type { PodNetwork } from './types.js';

const inSubnet = (ip: string | undefined, subnet: string): boolean => {
  const net = parseCidr(subnet);
  return ip !== undefined && net !== undefined && ipToInt(ip) > net.first && ipToInt(ip) < net.last;
};

describe('CniNetwork bridge mode with the real plugins', () => {
  let box: Sandbox;
  let a: PodNetwork;
  let b: PodNetwork;
  let hostPort: number;
  const idA = 'pod-a-0f8e2c1d';
  const idB = 'pod-b-7c31aa90';

  before(async () => {
    box = await sandbox();
    box.pods.add(idA).add(idB);
    hostPort = await freePort();
    a = await box.net.setUp(idA, 'bridge', [{ hostPort, containerPort: 80, protocol: 'tcp' }]);
    b = await box.net.setUp(idB, 'bridge', []);
  });
  after(async () => { await box.cleanup(); });

  test('each pod gets its own namespace and a distinct address in the subnet', async () => {
    assert.equal(a.netnsPath, `/var/run/netns/${box.options.netnsPrefix}${idA}`);
    assert.ok(await netnsExists(`${box.options.netnsPrefix}${idA}`));
    assert.ok(inSubnet(a.ip, box.options.subnet), `${a.ip} in ${box.options.subnet}`);
    assert.ok(inSubnet(b.ip, box.options.subnet), `${b.ip} in ${box.options.subnet}`);
    assert.notEqual(a.ip, b.ip);
    const eth0 = await inNetns(`${box.options.netnsPrefix}${idA}`, ['ip', '-4', '-o', 'addr', 'show', 'eth0']);
    assert.match(eth0.stdout, new RegExp(`inet ${a.ip?.replace(/\./g, '\\.')}/24`));
  });

  test('pods ping each other and the gateway on the bridge', async () => {
    const nsA = `${box.options.netnsPrefix}${idA}`;
    const nsB = `${box.options.netnsPrefix}${idB}`;
    const ab = await inNetns(nsA, ['/bin/busybox', 'ping', '-c1', '-W2', String(b.ip)]);
    assert.equal(ab.code, 0, ab.stdout + ab.stderr);
    const ba = await inNetns(nsB, ['/bin/busybox', 'ping', '-c1', '-W2', String(a.ip)]);
    assert.equal(ba.code, 0, ba.stdout + ba.stderr);
    assert.ok(a.gateway && inSubnet(a.gateway, box.options.subnet));
    const gw = await inNetns(nsA, ['/bin/busybox', 'ping', '-c1', '-W2', String(a.gateway)]);
    assert.equal(gw.code, 0, gw.stdout + gw.stderr);
    const route = await inNetns(nsA, ['ip', '-4', 'route', 'show', 'default']);
    assert.match(route.stdout, new RegExp(`default via ${String(a.gateway).replace(/\./g, '\\.')} dev eth0`));
  });

  test('a published port answers on 127.0.0.1 and on the host\'s own addresses', async () => {
    await startHttpd(box, `${box.options.netnsPrefix}${idA}`, 'hello from pod a\n');
    const local = await getWhenUp(`http://127.0.0.1:${hostPort}/`);
    assert.equal(local.status, 200);
    assert.equal(local.body, 'hello from pod a\n');
    for (const addr of hostAddresses()) {
      const r = await getWhenUp(`http://${addr}:${hostPort}/`);
      assert.equal(r.body, 'hello from pod a\n', `via ${addr}`);
    }
    // Pods reach published ports through the host too, pod a even its own (hairpin).
    // (busybox wget's -T option segfaults in this build; the helper's timeout bounds it instead.)
    for (const id of [idB, idA]) {
      const r = await inNetns(`${box.options.netnsPrefix}${id}`, ['/bin/busybox', 'wget', '-q', '-O', '-', `http://${String(a.gateway)}:${hostPort}/`]);
      assert.equal(r.stdout, 'hello from pod a\n', `from ${id}: ${r.stderr}`);
    }
    const localnet = await readFile(`/proc/sys/net/ipv4/conf/${box.options.bridge}/route_localnet`, 'utf8');
    assert.equal(localnet.trim(), '1');
    assert.equal((await readFile('/proc/sys/net/ipv4/ip_forward', 'utf8')).trim(), '1');
  });

  test('a new CniNetwork on the same stateDir finds the pod (agent restart)', async () => {
    const again = new CniNetwork(box.options);
    assert.deepEqual(await again.existing(idA), a);
    assert.equal((await again.existing('never-set-up')), undefined);
    assert.deepEqual((await again.list()).sort(), [idA, idB].sort());
    await again.check(idA);
  });

  test('setUp again with the same ports returns the same attachment', async () => {
    assert.deepEqual(await box.net.setUp(idA, 'bridge', [{ hostPort, containerPort: 80, protocol: 'tcp' }]), a);
  });

  test('setUp with other ports while the pod is up is refused rather than cutting its containers off', async () => {
    await assert.rejects(box.net.setUp(idA, 'bridge', []), /already has a bridge network with ports \[\d+\/tcp\]; tear it down/);
    assert.deepEqual(await box.net.existing(idA), a);
  });

  test('CHECK reports a pod whose interface was removed behind our back', async () => {
    await inNetns(`${box.options.netnsPrefix}${idB}`, ['ip', 'link', 'del', 'eth0']);
    await assert.rejects(box.net.check(idB), /CNI plugin "bridge" failed CHECK/);
  });

  test('teardown removes the namespace and the pod\'s iptables rules, and is idempotent', async () => {
    const ip = String(a.ip);
    // With masquerading done once per subnet, the pod's own rules are portmap's DNAT to it.
    assert.notDeepEqual(await iptablesLines(`${ip}:80`), []);
    await box.net.tearDown(idA, [{ hostPort, containerPort: 80, protocol: 'tcp' }]);
    assert.equal(await netnsExists(`${box.options.netnsPrefix}${idA}`), false);
    assert.equal(await box.net.existing(idA), undefined);
    assert.deepEqual(await iptablesLines(`${ip}/32`), []);
    assert.deepEqual(await iptablesLines(`${ip}:80`), []);
    assert.deepEqual((await iptablesLines(`--dport ${hostPort} `)), []);
    await box.net.tearDown(idA, []);
    await box.net.tearDown(idB, []);
    await box.net.tearDown(idB, []);
    assert.deepEqual(await iptablesLines(`id: \\"${idB}\\"`), []);
    assert.deepEqual(await box.net.list(), []);
  });
});
