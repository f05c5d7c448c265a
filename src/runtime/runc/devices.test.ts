import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ContainerConfig } from '../types.js';
import { buildOciSpec, type SpecContext } from './oci-spec.js';
import { parseCgroupRule, statDevice } from './devices.js';

const config = (o: Partial<ContainerConfig> = {}): ContainerConfig => ({
  id: 'a'.repeat(64), name: 'web', rootfsLayers: ['/layers/1'], args: ['sh'], env: [], cwd: '/',
  user: { uid: 0, gid: 0 }, netns: 'none', mounts: [], resources: {}, labels: {}, ...o,
});
const ctx: SpecContext = {
  rootfsPath: '/state/rootfs', hostname: 'web-1', cgroupsPath: '/lantern/abc', cgroupV2: false, hostNofileHard: 4096,
  etcFiles: { hosts: '/state/hosts', hostname: '/state/hostname', resolvConf: '/state/resolv.conf' },
};

describe('OCI spec: devices', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'g2-ocidev-'));
    // A fake GPU node with NVIDIA's major (195) and a tty-like device with a large minor.
    execFileSync('mknod', ['-m', '0666', path.join(dir, 'nvidia3'), 'c', '195', '3']);
    execFileSync('mknod', ['-m', '0660', path.join(dir, 'big'), 'b', '259', '300']);
    writeFileSync(path.join(dir, 'plain'), 'x');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('stat reads type, major and minor of a host node (minor above 255 too)', () => {
    assert.deepEqual({ ...statDevice(path.join(dir, 'nvidia3')), uid: 0, gid: 0 }, { type: 'c', major: 195, minor: 3, mode: 0o666, uid: 0, gid: 0 });
    const b = statDevice(path.join(dir, 'big'));
    assert.deepEqual([b.type, b.major, b.minor], ['b', 259, 300]);
  });

  test('a device from the host becomes linux.devices plus an allow rule after the deny-all', () => {
    const spec = buildOciSpec(config({ devices: [{ path: '/dev/nvidia0', hostPath: path.join(dir, 'nvidia3'), permissions: 'rw' }] }), ctx);
    assert.deepEqual(spec.linux.devices, [{ path: '/dev/nvidia0', type: 'c', major: 195, minor: 3, fileMode: 0o666, uid: 0, gid: 0 }]);
    assert.deepEqual(spec.linux.resources.devices, [{ allow: false, access: 'rwm' }, { allow: true, type: 'c', major: 195, minor: 3, access: 'rw' }]);
  });

  test('given type/major/minor are used as they are, without a host node', () => {
    const spec = buildOciSpec(config({ devices: [{ path: '/dev/nvidiactl', type: 'c', major: 195, minor: 255 }] }), ctx);
    assert.deepEqual(spec.linux.devices, [{ path: '/dev/nvidiactl', type: 'c', major: 195, minor: 255 }]);
  });

  test('a missing host node or a regular file is refused by name', () => {
    assert.throws(() => buildOciSpec(config({ devices: [{ path: '/dev/ttyUSB9', hostPath: path.join(dir, 'nope') }] }), ctx), /nope.*no such device node/);
    assert.throws(() => buildOciSpec(config({ devices: [{ path: '/dev/x', hostPath: path.join(dir, 'plain') }] }), ctx), /not a character or block device/);
  });

  test("Docker's --device-cgroup-rule syntax", () => {
    assert.deepEqual(parseCgroupRule('c 188:* rwm'), { allow: true, type: 'c', major: 188, access: 'rwm' });
    assert.deepEqual(parseCgroupRule('a *:* r'), { allow: true, type: 'a', access: 'r' });
    for (const bad of ['c 188 rwm', 'x 1:2 r', 'c 1:2 rwx', '']) assert.throws(() => parseCgroupRule(bad), /invalid device cgroup rule/);
    const spec = buildOciSpec(config({ deviceCgroupRules: ['b 8:0 r'] }), ctx);
    assert.deepEqual(spec.linux.resources.devices.at(-1), { allow: true, type: 'b', major: 8, minor: 0, access: 'r' });
  });

  test('privileged keeps allow-all and still creates the named nodes', () => {
    const spec = buildOciSpec(config({ privileged: true, devices: [{ path: '/dev/nvidiactl', type: 'c', major: 195, minor: 255 }] }), ctx);
    assert.deepEqual(spec.linux.resources.devices, [{ allow: true, access: 'rwm' }]);
    assert.equal(spec.linux.devices?.length, 1);
  });
});
