import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerConfig } from '../types.js';
import { ALL_CAPABILITIES, DEFAULT_CAPABILITIES, capabilityMask, hostCapabilities, resolveCapabilities } from './capabilities.js';
import { containerResolvConf } from './etc-files.js';
import { buildOciSpec, type SpecContext } from './oci-spec.js';
import { allowedSyscalls } from './seccomp.js';

const config = (o: Partial<ContainerConfig> = {}): ContainerConfig => ({
  id: 'a'.repeat(64), name: 'web', rootfsLayers: ['/layers/1'], args: ['sh'], env: ['A=1'], cwd: '/',
  user: { uid: 1000, gid: 1000 }, netns: '/run/netns/pod1', mounts: [], resources: {}, labels: {}, ...o,
});
const ctx: SpecContext = {
  rootfsPath: '/state/rootfs', hostname: 'web-1', cgroupsPath: '/lantern/abc', cgroupV2: false, hostNofileHard: 4096,
  etcFiles: { hosts: '/state/hosts', hostname: '/state/hostname', resolvConf: '/state/resolv.conf' },
};

describe('capabilities', () => {
  test("the default set is Docker's (CapEff 00000000a80425fb)", () => {
    assert.equal(capabilityMask(resolveCapabilities()), '00000000a80425fb');
    assert.equal(DEFAULT_CAPABILITIES.length, 14);
  });
  test('add and drop take names with or without CAP_, in any case', () => {
    const caps = resolveCapabilities({ add: ['net_admin', 'CAP_SYS_PTRACE'], drop: ['NET_RAW', 'cap_mknod'] });
    assert.ok(caps.includes('CAP_NET_ADMIN') && caps.includes('CAP_SYS_PTRACE'));
    assert.ok(!caps.includes('CAP_NET_RAW') && !caps.includes('CAP_MKNOD'));
  });
  test('drop ALL keeps only the named adds; add ALL minus named drops', () => {
    assert.deepEqual(resolveCapabilities({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] }), ['CAP_NET_BIND_SERVICE']);
    const all = resolveCapabilities({ add: ['ALL'], drop: ['SYS_ADMIN'] });
    assert.equal(all.length, ALL_CAPABILITIES.length - 1);
  });
  test('an unknown capability is refused with its name', () => {
    assert.throws(() => resolveCapabilities({ add: ['FLY'] }), /FLY/);
  });
  test('privileged and ALL are limited to what the host can grant', () => {
    const host = hostCapabilities('CapBnd:\t000001fffeffffff\n');
    assert.ok(!host.includes('CAP_SYS_RESOURCE'));
    assert.ok(!resolveCapabilities(undefined, true, host).includes('CAP_SYS_RESOURCE'));
    assert.throws(() => resolveCapabilities({ add: ['SYS_RESOURCE'] }, false, host), /not available on this host/);
  });
});

describe('OCI spec', () => {
  test('limits: memory is a hard cap (swap = limit), cpu and pids', () => {
    const s = buildOciSpec(config({ resources: { memoryBytes: 1 << 24, cpuQuota: 50000, cpuShares: 512, pidsLimit: 20 } }), ctx);
    assert.deepEqual(s.linux.resources.memory, { limit: 1 << 24, swap: 1 << 24 });
    assert.deepEqual(s.linux.resources.cpu, { shares: 512, quota: 50000, period: 100000 });
    assert.deepEqual(s.linux.resources.pids, { limit: 20 });
    assert.equal(s.linux.cgroupsPath, '/lantern/abc');
  });
  test('namespaces: the pod netns by path, none for host, no cgroup ns on v1', () => {
    const types = (c: ContainerConfig, v2 = false): string[] => buildOciSpec(c, { ...ctx, cgroupV2: v2 }).linux.namespaces.map((n) => n.type);
    assert.deepEqual(buildOciSpec(config(), ctx).linux.namespaces.find((n) => n.type === 'network'), { type: 'network', path: '/run/netns/pod1' });
    assert.ok(!types(config({ netns: 'host' })).includes('network'));
    assert.ok(!types(config()).includes('cgroup'));
    assert.ok(types(config(), true).includes('cgroup'));
  });
  test("Docker's defaults: masked and read-only paths, no new privileges, NOFILE 1024 under the host hard limit", () => {
    const s = buildOciSpec(config(), ctx);
    assert.ok(s.linux.maskedPaths?.includes('/proc/kcore') && s.linux.readonlyPaths?.includes('/proc/sys'));
    assert.equal(s.process.noNewPrivileges, true);
    assert.deepEqual(s.process.rlimits, [{ type: 'RLIMIT_NOFILE', hard: 4096, soft: 1024 }]);
    assert.deepEqual(s.process.capabilities.inheritable, []);
    assert.ok(s.process.env.includes('A=1') && s.process.env.some((e) => e.startsWith('PATH=')));
    assert.ok(s.linux.seccomp);
  });
  test('seccomp: the default profile on the final capabilities; Unconfined none; Localhost its own profile', () => {
    const dflt = buildOciSpec(config({ capabilities: { add: ['SYS_PTRACE'] } }), ctx).linux.seccomp;
    assert.equal(dflt?.defaultAction, 'SCMP_ACT_ERRNO');
    assert.ok(dflt && allowedSyscalls(dflt).includes('kcmp'));
    const none = buildOciSpec(config({ capabilities: { drop: ['ALL'] } }), ctx).linux.seccomp;
    assert.ok(none && !allowedSyscalls(none).includes('chroot'), 'dropping CAP_SYS_CHROOT drops chroot');
    assert.equal(buildOciSpec(config({ seccompProfile: { type: 'Unconfined' } }), ctx).linux.seccomp, undefined);
    const local = buildOciSpec(config({ seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } }), {
      ...ctx, seccompProfile: { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdirat'], action: 'SCMP_ACT_ERRNO', includes: { caps: ['CAP_CHOWN'] } }] },
    }).linux.seccomp;
    assert.deepEqual(local, { defaultAction: 'SCMP_ACT_ALLOW', architectures: [], syscalls: [{ names: ['mkdirat'], action: 'SCMP_ACT_ERRNO' }] });
    assert.throws(() => buildOciSpec(config({ seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } }), ctx), /was not loaded/);
  });
  test('AppArmor: the profile the runtime chose goes to process.apparmorProfile; none without one', () => {
    assert.equal(buildOciSpec(config(), { ...ctx, appArmorProfile: 'lantern-default' }).process.apparmorProfile, 'lantern-default');
    assert.equal('apparmorProfile' in buildOciSpec(config(), ctx).process, false);
  });
  test('privileged: every capability, no seccomp, nothing masked', () => {
    const s = buildOciSpec(config({ privileged: true, seccompProfile: { type: 'RuntimeDefault' } }), ctx);
    assert.equal(s.process.capabilities.effective.length, ALL_CAPABILITIES.length);
    assert.equal(s.linux.seccomp, undefined);
    assert.equal(s.linux.maskedPaths, undefined);
  });
  test('mounts: /etc files are bound from the container dir; a user mount replaces a default one', () => {
    const s = buildOciSpec(config({ mounts: [
      { destination: '/dev/shm', source: '', type: 'tmpfs', options: ['size=1g'] },
      { destination: '/data', source: '/srv/data', type: 'bind', readOnly: true },
    ] }), ctx);
    assert.equal(s.mounts.find((m) => m.destination === '/etc/resolv.conf')?.source, '/state/resolv.conf');
    assert.deepEqual(s.mounts.filter((m) => m.destination === '/dev/shm').map((m) => m.options?.includes('size=1g')), [true]);
    assert.ok(s.mounts.find((m) => m.destination === '/data')?.options?.includes('ro'));
  });
});

describe('resolv.conf', () => {
  test('drops loopback resolvers a container cannot reach, keeps the rest', () => {
    const out = containerResolvConf('nameserver 127.0.0.53\nnameserver 10.0.0.2\nsearch corp\n', false);
    assert.equal(out, 'nameserver 10.0.0.2\nsearch corp\n');
  });
  test('keeps them with the host network, and falls back to public resolvers when none is left', () => {
    assert.match(containerResolvConf('nameserver 127.0.0.53\n', true), /127\.0\.0\.53/);
    assert.match(containerResolvConf('nameserver 127.0.0.53\n', false), /nameserver 8\.8\.8\.8/);
  });
});
