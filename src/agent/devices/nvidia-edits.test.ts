import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { makeFakeGpuRoot, type FakeGpuRoot } from '../../testing/fake-gpu/fake-root.js';
import { NvidiaCdi, driverMounts, parseLdconfig } from './nvidia-edits.js';
import type { Device } from './types.js';
import { WithDriverFiles } from './nvidia-driver-provider.js';
import { NvidiaProvider } from './providers/nvidia.js';

describe('NVIDIA container edits', () => {
  let fake: FakeGpuRoot;
  before(async () => { fake = await makeFakeGpuRoot({ cdi: false }); });
  after(async () => { await fake.remove(); });

  test('parses ldconfig -p, preferring the 64-bit entry', () => {
    const text = '3 libs found in cache\n\tlibcuda.so.1 (libc6) => /usr/lib/i386-linux-gnu/libcuda.so.1\n\tlibcuda.so.1 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcuda.so.1\n\tlibz.so.1 (libc6,x86-64) => /lib/libz.so.1\n';
    assert.deepEqual(parseLdconfig(text), [['libcuda.so.1', '/usr/lib/x86_64-linux-gnu/libcuda.so.1'], ['libz.so.1', '/lib/libz.so.1']]);
  });

  test("the driver root's libraries (through its linker cache) and tools are mounted read-only", async () => {
    const mounts = await driverMounts(fake.root);
    const dest = mounts.map((m) => m.destination).sort();
    for (const want of ['/usr/lib/x86_64-linux-gnu/libcuda.so.1', '/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1', '/usr/bin/nvidia-smi', '/usr/bin/nvidia-cuda-mps-control']) assert.ok(dest.includes(want), `${want} in ${dest.join(' ')}`);
    assert.ok(mounts.every((m) => m.readOnly && m.source.startsWith(fake.root)));
  });

  test('without nvidia-ctk the node writes a CDI spec and the edits come from it', async () => {
    const gpus: Device[] = fake.uuids.map((id, index) => ({ resource: 'nvidia.com/gpu', id, index, healthy: true }));
    const cdi = new NvidiaCdi({ driverRoot: fake.root, cdiDir: path.join(fake.root, 'run-cdi') });
    const e = await cdi.edits([gpus[2]!, gpus[0]!], gpus);
    assert.deepEqual(e.env, { NVIDIA_VISIBLE_DEVICES: `${fake.uuids[2]},${fake.uuids[0]}`, CUDA_VISIBLE_DEVICES: '0,1' });
    const nodes = (e.deviceNodes ?? []).map((d) => d.path).sort();
    assert.deepEqual(nodes, ['/dev/nvidia-modeset', '/dev/nvidia-uvm', '/dev/nvidia-uvm-tools', '/dev/nvidia0', '/dev/nvidia2', '/dev/nvidiactl']);
    assert.ok((e.mounts ?? []).some((m) => m.destination === '/usr/lib/x86_64-linux-gnu/libcuda.so.1' && m.readOnly));
    assert.ok(cdi.file.endsWith('lantern-nvidia.json'));
  });
});

describe('the NVIDIA provider with the driver files', () => {
  let fake: FakeGpuRoot;
  before(async () => { fake = await makeFakeGpuRoot({ cdi: false }); });
  after(async () => { await fake.remove(); });

  test("a container gets the provider's device nodes and env plus the driver's libraries and tools", async () => {
    const p = new WithDriverFiles(new NvidiaProvider({ driverRoot: fake.root }), { driverRoot: fake.root, cdiDir: path.join(fake.root, 'lantern-cdi') });
    const { devices } = await p.discover();
    const e = await p.edits([devices[1]!], { podUid: 'u', container: 'c' });
    assert.equal(e.env?.NVIDIA_VISIBLE_DEVICES, fake.uuids[1]);
    assert.equal(e.env?.CUDA_VISIBLE_DEVICES, '0');
    assert.ok(e.deviceNodes?.some((d) => d.path === '/dev/nvidia1'));
    assert.ok(!e.deviceNodes?.some((d) => d.path === '/dev/nvidia0'));
    const mounts = (e.mounts ?? []).map((m) => m.destination);
    assert.ok(mounts.includes('/usr/bin/nvidia-smi') && mounts.includes('/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1'), mounts.join(' '));
  });
});
