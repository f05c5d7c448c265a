import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerConfig } from '../types.js';
import { buildOciSpec, MASKED_PATHS, type SpecContext } from './oci-spec.js';

const config = (o: Partial<ContainerConfig> = {}): ContainerConfig => ({
  id: 'a'.repeat(64), name: 'web', rootfsLayers: ['/layers/1'], args: ['sh'], env: [], cwd: '/',
  user: { uid: 0, gid: 0 }, netns: '/run/netns/pod1', mounts: [], resources: {}, labels: {}, ...o,
});
const ctx: SpecContext = {
  rootfsPath: '/state/rootfs', hostname: 'web-1', cgroupsPath: '/lantern/abc', cgroupV2: false, hostNofileHard: 4096,
  etcFiles: { hosts: '/state/hosts', hostname: '/state/hostname', resolvConf: '/state/resolv.conf' },
};
const types = (c: ContainerConfig): string[] => buildOciSpec(c, ctx).linux.namespaces.map((n) => n.type);

describe('OCI spec: host namespaces, sysctls, procMount', () => {
  test('private pid and ipc namespaces by default; hostPID/hostIPC leave them out', () => {
    assert.deepEqual(types(config()), ['pid', 'ipc', 'uts', 'mount', 'network']);
    assert.deepEqual(types(config({ hostPID: true })), ['ipc', 'uts', 'mount', 'network']);
    assert.deepEqual(types(config({ hostIPC: true })), ['pid', 'uts', 'mount', 'network']);
    assert.deepEqual(types(config({ hostPID: true, hostIPC: true })), ['uts', 'mount', 'network']);
  });
  test('sysctls go to linux.sysctl; none means no key', () => {
    assert.deepEqual(buildOciSpec(config({ sysctls: { 'net.ipv4.ip_local_port_range': '40000 40100' } }), ctx).linux.sysctl, { 'net.ipv4.ip_local_port_range': '40000 40100' });
    assert.equal(buildOciSpec(config(), ctx).linux.sysctl, undefined);
  });
  test('procMount Unmasked drops the masked and read-only /proc paths', () => {
    assert.deepEqual(buildOciSpec(config(), ctx).linux.maskedPaths, MASKED_PATHS);
    const s = buildOciSpec(config({ procMount: 'Unmasked' }), ctx);
    assert.equal(s.linux.maskedPaths, undefined);
    assert.equal(s.linux.readonlyPaths, undefined);
  });
});
