/**
 * Real CNI plugins, real namespaces: two bridge networks isolate, macvlan on a real parent (a veth whose
 * peer sits in a test namespace) reaches that segment, and sriov against a FAKE sysfs tree whose VFs are
 * veth netdevs. Every name carries this run's prefix; `after` removes all of it even when a test fails.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Network } from '../../api/schema/network.js';
import { runCommand, runTool, toolEnv } from '../exec.js';
import { bridgeNameOf } from './conflist.js';
import { UserNetworks } from './user-networks.js';
import { removeBridge } from './host-links.js';
import type { VfControl } from './sysfs.js';

const tag = randomBytes(3).toString('hex');
const P = `un${tag}`;
const sh = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => runCommand(args[0]!, args.slice(1), { env: toolEnv() });
const netnses: string[] = [];
const links: string[] = [];
let dir = '';

async function netns(name: string): Promise<string> {
  await runTool('ip', ['netns', 'add', name]);
  netnses.push(name);
  await runTool('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  return `/var/run/netns/${name}`;
}
const ping = async (ns: string, ip: string): Promise<boolean> => (await sh(['ip', 'netns', 'exec', ns, '/bin/busybox', 'ping', '-c', '1', '-W', '1', ip])).code === 0;
const net = (name: string, spec: Network['spec']): Network => ({ apiVersion: 'lantern.dev/v1', kind: 'Network', metadata: { name }, spec });

before(async () => { dir = await mkdtemp(path.join(tmpdir(), 'usernet-')); });
after(async () => {
  for (const n of netnses) await sh(['ip', 'netns', 'delete', n]);
  for (const l of links) await sh(['ip', 'link', 'delete', l]);
  for (const b of [`${P}-a`, `${P}-b`].map(bridgeNameOf)) await removeBridge(b);
  await rm(dir, { recursive: true, force: true });
});

describe('bridge networks', () => {
  test('containers on one network reach each other; across two networks they cannot; the host is left clean', async () => {
    const nets = new UserNetworks({ stateDir: path.join(dir, 'b') });
    const a = net(`${P}-a`, { driver: 'bridge', subnet: '172.29.61.0/24' });
    const b = net(`${P}-b`, { driver: 'bridge', subnet: '172.29.62.0/24' });
    const a1 = await nets.attach({ podId: `${P}a1`, netnsPath: await netns(`${P}a1`), network: a, ifName: 'eth0', params: {} });
    const a2 = await nets.attach({ podId: `${P}a2`, netnsPath: await netns(`${P}a2`), network: a, ifName: 'eth0', ip: '172.29.61.50', params: {} });
    const b1 = await nets.attach({ podId: `${P}b1`, netnsPath: await netns(`${P}b1`), network: b, ifName: 'eth0', params: {} });
    assert.equal(a2.ip, '172.29.61.50', 'the requested --ip');
    assert.match(a1.ip ?? '', /^172\.29\.61\./);
    assert.equal(await ping(`${P}a1`, a2.ip!), true, 'same network');
    assert.equal(await ping(`${P}a1`, b1.ip!), false, 'other network');
    assert.equal(await ping(`${P}b1`, a1.ip!), false, 'other network, the other way');
    await assert.rejects(nets.attach({ podId: `${P}a3`, netnsPath: await netns(`${P}a3`), network: a, ifName: 'eth0', ip: '172.29.61.50', params: {} }), /address asked for is taken/);
    for (const p of ['a1', 'a2', 'b1', 'a3']) await nets.detach(`${P}${p}`);
    assert.equal((await sh(['ip', 'link', 'show', bridgeNameOf(a.metadata.name)])).code, 1, 'the bridge goes with its last pod');
    assert.doesNotMatch((await runTool('iptables', ['-S', 'LANTERN-NET-ISOLATION'])), new RegExp(bridgeNameOf(a.metadata.name)));
  });
});

describe('macvlan', () => {
  test('gets an address in the subnet and reaches a peer on the parent\'s segment; a missing parent is a clear error', async () => {
    const peer = await netns(`${P}peer`);
    await runTool('ip', ['link', 'add', `${P}p`, 'type', 'veth', 'peer', 'name', `${P}q`]);
    links.push(`${P}p`);
    await runTool('ip', ['link', 'set', `${P}q`, 'netns', path.basename(peer)]);
    await runTool('ip', ['-n', `${P}peer`, 'addr', 'add', '192.168.217.1/24', 'dev', `${P}q`]);
    await runTool('ip', ['-n', `${P}peer`, 'link', 'set', `${P}q`, 'up']);
    await runTool('ip', ['link', 'set', `${P}p`, 'up']);
    const nets = new UserNetworks({ stateDir: path.join(dir, 'm') });
    const mv = net(`${P}-mv`, { driver: 'macvlan', parent: `${P}p`, subnet: '192.168.217.0/24', ipRange: '192.168.217.128/25' });
    const got = await nets.attach({ podId: `${P}m1`, netnsPath: await netns(`${P}m1`), network: mv, ifName: 'eth0', params: {} });
    assert.match(got.ip ?? '', /^192\.168\.217\.(12[89]|1[3-9][0-9]|2[0-5][0-9])$/);
    assert.equal(await ping(`${P}m1`, '192.168.217.1'), true);
    await nets.detach(`${P}m1`);
    const missing = net(`${P}-mx`, { driver: 'macvlan', parent: `${P}none`, subnet: '192.168.218.0/24' });
    await assert.rejects(nets.attach({ podId: `${P}m2`, netnsPath: await netns(`${P}m2`), network: missing, ifName: 'eth0', params: {} }), /parent interface un\w+none does not exist on this node/);
    assert.deepEqual(await nets.attached(`${P}m2`), [], 'nothing half-made is recorded');
  });
});

describe('ipvlan', () => {
  test('works where the kernel has it; where it has not (these machines), a clear error naming macvlan and nothing half-made', async () => {
    await runTool('ip', ['link', 'add', `${P}ip`, 'type', 'veth', 'peer', 'name', `${P}iq`]);
    links.push(`${P}ip`);
    await runTool('ip', ['link', 'set', `${P}ip`, 'up']);
    const kernelHasIpvlan = await runTool('ip', ['link', 'add', `${P}iv`, 'link', `${P}ip`, 'type', 'ipvlan']).then(() => true, () => false);
    if (kernelHasIpvlan) await runTool('ip', ['link', 'del', `${P}iv`]);
    const nets = new UserNetworks({ stateDir: path.join(dir, 'i') });
    const iv = net(`${P}-iv`, { driver: 'ipvlan', parent: `${P}ip`, subnet: '192.168.219.0/24' });
    const attach = nets.attach({ podId: `${P}i1`, netnsPath: await netns(`${P}i1`), network: iv, ifName: 'eth0', params: {} });
    if (kernelHasIpvlan) {
      assert.match((await attach).ip ?? '', /^192\.168\.219\.\d+$/);
      await nets.detach(`${P}i1`);
    } else {
      await assert.rejects(attach, /this node's kernel lacks ipvlan \("Unknown device type"\); use the macvlan driver instead/);
      assert.deepEqual(await nets.attached(`${P}i1`), [], 'nothing half-made is recorded');
    }
  });
});

describe('sriov on a FAKE sysfs tree', () => {
  test('hands the asked-for VF to the pod, sets its VLAN through the PF, never gives it twice, frees it, and remembers after a restart', async () => {
    const root = path.join(dir, 'fake-sysfs');
    const dev = path.join(root, 'class', 'net', 'fakepf0', 'device');
    await mkdir(dev, { recursive: true });
    await writeFile(path.join(dev, 'sriov_totalvfs'), '4\n');
    await writeFile(path.join(dev, 'sriov_numvfs'), '0\n');
    for (const i of [0, 1]) {
      // A fake VF: one end of a veth pair named as a fake.
      await runTool('ip', ['link', 'add', `${P}vf${i}`, 'type', 'veth', 'peer', 'name', `${P}vp${i}`]);
      links.push(`${P}vf${i}`);
      await mkdir(path.join(dev, `virtfn${i}`, 'net', `${P}vf${i}`), { recursive: true });
    }
    const calls: string[] = [];
    const fake: VfControl = { setVlan: async (pf, vf, vlan) => { calls.push(`${pf} vf ${vf} vlan ${vlan}`); } };
    const sriov = net(`${P}-sriov`, { driver: 'sriov', physicalInterface: 'fakepf0', vlan: 100, numVFs: 2, subnet: '172.29.63.0/24' });
    const opts = { stateDir: path.join(dir, 's'), sysfsRoot: root, vfControl: fake };
    const nets = new UserNetworks(opts);
    const ns1 = await netns(`${P}s1`);
    const got = await nets.attach({ podId: `${P}s1`, netnsPath: ns1, network: sriov, ifName: 'eth0', params: { sriov_vf: '1' } });
    assert.match(got.ip ?? '', /^172\.29\.63\./);
    assert.deepEqual(calls, ['fakepf0 vf 1 vlan 100']);
    assert.match(await runTool('ip', ['-n', `${P}s1`, 'addr', 'show', 'eth0']), /172\.29\.63\./, 'the VF netdev is the pod\'s eth0');
    assert.equal((await sh(['ip', 'link', 'show', `${P}vf1`])).code, 1, 'moved out of the host');
    assert.deepEqual(await nets.sriovCounts('fakepf0'), { total: 2, free: 1 });
    const again = new UserNetworks(opts); // an agent restart
    await assert.rejects(again.attach({ podId: `${P}s2`, netnsPath: await netns(`${P}s2`), network: sriov, ifName: 'eth0', params: { sriov_vf: '1' } }), /VF 1 of fakepf0 is taken by pod un\w+s1/);
    await assert.rejects(again.attach({ podId: `${P}s2`, netnsPath: `/var/run/netns/${P}s2`, network: sriov, ifName: 'eth0', params: { sriov_vf: '5' } }), /sriov_vf=5 is out of range/);
    await again.detach(`${P}s1`);
    assert.equal((await sh(['ip', 'link', 'show', `${P}vf1`])).code, 0, 'back in the host');
    assert.deepEqual(await again.sriovCounts('fakepf0'), { total: 2, free: 2 });
  });
});
