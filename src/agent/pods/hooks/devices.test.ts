import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../../api/pod.js';
import { ContainerConfigError } from '../../container/container-config.js';
import { DeviceRequestError } from '../../devices/registry.js';
import type { ContainerPlan, PodRun } from '../pod-hook.js';
import { DevicesHook, type DeviceAnswer, type DevicePlugin } from './devices.js';

const pod = (annotations: Record<string, string> = {}): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u1', annotations },
  spec: { containers: [{ name: 'c', image: 'busybox', resources: { limits: { 'nvidia.com/gpu': '1' } } }] },
});
const run = (p: Pod): PodRun => ({ pod: p } as unknown as PodRun);
const plan = (p: Pod): ContainerPlan => ({ container: p.spec.containers[0]!, extraEnv: {}, extraMounts: [], mounts: [], layers: [], attempt: 0 } as unknown as ContainerPlan);
const plugin = (answer: () => Promise<DeviceAnswer>): DevicePlugin => ({ name: 'fake', allocate: answer });

describe('the devices hook', () => {
  test('puts a plugin\'s edits and the pod\'s cgroup rules and capabilities into the plan, idempotently', async () => {
    const p = pod({ 'lantern.dev/device-cgroup-rules': 'c 188:* rwm', 'lantern.dev/gpu-capabilities': 'utility' });
    const hook = new DevicesHook([plugin(() => Promise.resolve({ edits: {
      env: { NVIDIA_VISIBLE_DEVICES: 'GPU-1' }, deviceNodes: [{ path: '/dev/nvidia0' }],
      mounts: [{ destination: '/usr/bin/nvidia-smi', source: '/x/nvidia-smi', type: 'bind', readOnly: true }],
    } }))]);
    const pl = plan(p);
    assert.equal(await hook.prestartContainer(run(p), pl), undefined);
    assert.equal(await hook.prestartContainer(run(p), pl), undefined);
    assert.deepEqual(pl.extraEnv, { NVIDIA_VISIBLE_DEVICES: 'GPU-1', NVIDIA_DRIVER_CAPABILITIES: 'utility' });
    assert.deepEqual(pl.devices, [{ path: '/dev/nvidia0' }]);
    assert.equal(pl.extraMounts.length, 1);
    assert.deepEqual(pl.deviceCgroupRules, ['c 188:* rwm']);
  });

  test('a device that is not free holds the container back with the reason', async () => {
    const hook = new DevicesHook([plugin(() => Promise.resolve({ wait: 'nvidia.com/gpu: 1 wanted, 0 free and healthy on this node' }))]);
    const r = await hook.prestartContainer(run(pod()), plan(pod()));
    assert.equal(r?.waiting?.reason, 'ContainerCreating');
    assert.match(r?.waiting?.message ?? '', /0 free and healthy/);
  });

  test('a request that can never be met here, a missing host device, or CDI without specs is the user\'s to fix', async () => {
    const never = new DevicesHook([plugin(() => Promise.reject(new DeviceRequestError('GPU 7 does not exist on this node')))]);
    await assert.rejects(never.prestartContainer(run(pod()), plan(pod())), (e: unknown) => e instanceof ContainerConfigError && /GPU 7/.test(e.message));
    const none = new DevicesHook([]);
    const missing = pod({ 'lantern.dev/host-devices': '/dev/g2-missing:/dev/x:rw' });
    await assert.rejects(none.prestartContainer(run(missing), plan(missing)), /error gathering device information while adding custom device "\/dev\/g2-missing"/);
    const cdi = pod({ 'cdi.k8s.io/x': 'vendor.com/fpga=f0' });
    await assert.rejects(none.prestartContainer(run(cdi), plan(cdi)), /CDI devices vendor.com\/fpga=f0: this node has no CDI specs/);
  });

  test('a host device is given with its container path and permissions', async () => {
    const p = pod({ 'lantern.dev/host-devices': '/dev/null:/dev/ttyUSB0:rw' });
    const pl = plan(p);
    await new DevicesHook([]).prestartContainer(run(p), pl);
    assert.deepEqual(pl.devices, [{ path: '/dev/ttyUSB0', hostPath: '/dev/null', permissions: 'rw' }]);
  });
});
