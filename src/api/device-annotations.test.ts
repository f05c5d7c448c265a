import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCdiNames, parseCgroupRules, parseGpuDevices, parseHostDevice, podCdiNames } from './device-annotations.js';

describe('device annotations', () => {
  test("--device values in Docker's forms", () => {
    assert.deepEqual(parseHostDevice('/dev/ttyUSB0'), { hostPath: '/dev/ttyUSB0', path: '/dev/ttyUSB0', permissions: 'rwm' });
    assert.deepEqual(parseHostDevice('/dev/ttyUSB0:/dev/modem'), { hostPath: '/dev/ttyUSB0', path: '/dev/modem', permissions: 'rwm' });
    assert.deepEqual(parseHostDevice('/dev/ttyUSB0:r'), { hostPath: '/dev/ttyUSB0', path: '/dev/ttyUSB0', permissions: 'r' });
    assert.deepEqual(parseHostDevice('/dev/sda:/dev/xvda:rw'), { hostPath: '/dev/sda', path: '/dev/xvda', permissions: 'rw' });
    for (const bad of ['dev/x', '/dev/x:/dev/y:rwx', '/dev/x:/dev/y:rr', '/dev/../etc/shadow', '/a:/b:r:w']) assert.throws(() => parseHostDevice(bad), /invalid device specification/);
  });
  test('GPU lists, cgroup rules and CDI names', () => {
    assert.equal(parseGpuDevices('all'), undefined);
    assert.deepEqual(parseGpuDevices('0, 2,GPU-abc'), ['0', '2', 'GPU-abc']);
    assert.throws(() => parseGpuDevices(''), /expected "all"/);
    assert.throws(() => parseGpuDevices('0;rm'), /not a GPU index or UUID/);
    assert.deepEqual(parseCgroupRules('c 188:* rwm, b 8:0 r'), ['c 188:* rwm', 'b 8:0 r']);
    assert.throws(() => parseCgroupRules('c 188 rwm'), /invalid device cgroup rule/);
    assert.deepEqual(parseCdiNames('vendor.com/fpga=f0,nvidia.com/gpu=all'), ['vendor.com/fpga=f0', 'nvidia.com/gpu=all']);
    assert.throws(() => parseCdiNames('fpga0'), /not a fully-qualified CDI device name/);
    assert.deepEqual(podCdiNames({ 'cdi.k8s.io/a': 'v.com/c=1', other: 'x', 'cdi.k8s.io/bad': 'nope' }), ['v.com/c=1']);
  });
});
