import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { readFile, writeFile } from 'node:fs/promises';
import { makeFakeGpuRoot, nvidiaMajor, type FakeGpuRoot } from '../../../testing/fake-gpu/fake-root.js';
import { builtinProviders } from './index.js';
import type { ProviderReport } from '../types.js';

const run = promisify(execFile);

describe('providers over a FAKE driver root', () => {
  let fake: FakeGpuRoot;
  before(async () => { fake = await makeFakeGpuRoot({ model: 'a100x4', npus: 2 }); });
  after(async () => { await fake.remove(); });

  const discover = async (): Promise<Map<string, ProviderReport>> => {
    const out = new Map<string, ProviderReport>();
    for (const p of builtinProviders({ driverRoot: fake.root, cdiSpecDirs: [fake.cdiDir] })) out.set(p.name, await p.discover());
    return out;
  };

  test('NVIDIA: four A100s with UUID, model, memory, MIG, topology and labels', async () => {
    const r = (await discover()).get('nvidia')!;
    assert.deepEqual(r.devices.map((d) => [d.index, d.id, d.healthy, d.topologyGroup]), fake.uuids.map((u, i) => [i, u, true, i < 2 ? 'nvlink-0' : 'nvlink-2']));
    assert.equal(r.devices[0]?.model, 'NVIDIA A100-SXM4-80GB');
    assert.equal(r.devices[0]?.memoryBytes, 81920 * 2 ** 20);
    assert.equal(r.devices[3]?.migEnabled, true);
    assert.deepEqual(r.labels, { 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB', 'nvidia.com/gpu.count': '4', 'nvidia.com/gpu.memory': '81920', 'gpu.type': 'a100' });
  });

  test('NVIDIA: a failing GPU and a vanished one are unhealthy, and recover', async () => {
    const [nvidia] = builtinProviders({ driverRoot: fake.root, cdiSpecDirs: [] });
    await nvidia!.discover();
    await fake.setGpu(1, 'fail');
    await fake.setGpu(2, 'gone');
    try {
      const r = await nvidia!.discover();
      assert.deepEqual(r.devices.map((d) => d.healthy), [true, false, false, true]);
    } finally {
      await fake.setGpu(1, 'ok');
      await fake.setGpu(2, 'ok');
    }
    assert.deepEqual((await nvidia!.discover()).devices.map((d) => d.healthy), [true, true, true, true]);
  });

  test('NVIDIA: a GPU that prints an error in place of its UUID keeps the id it had', async () => {
    const [nvidia] = builtinProviders({ driverRoot: fake.root, cdiSpecDirs: [] });
    await nvidia!.discover();
    const errorRow = path.join(fake.root, 'usr/share/fake-gpu/error-0.csv');
    const saved = await readFile(errorRow, 'utf8');
    await writeFile(errorRow, '0, [Unknown Error], [Unknown Error], [Unknown Error], [Unknown Error], [Unknown Error], [Unknown Error], [Unknown Error], [Unknown Error]\n');
    await fake.setGpu(0, 'fail');
    try {
      const r = await nvidia!.discover();
      assert.deepEqual(r.devices.map((d) => [d.id, d.healthy]), fake.uuids.map((u, i) => [u, i !== 0]));
    } finally {
      await fake.setGpu(0, 'ok');
      await writeFile(errorRow, saved);
    }
  });

  test('NVIDIA edits: the GPU nodes with their real numbers, the control nodes, the variables', async () => {
    const [nvidia] = builtinProviders({ driverRoot: fake.root, cdiSpecDirs: [] });
    const r = await nvidia!.discover();
    const e = await nvidia!.edits([r.devices[2]!], { podUid: 'u', container: 'c' });
    assert.deepEqual(e.deviceNodes?.map((n) => [n.path, n.major, n.minor]), [['/dev/nvidia2', nvidiaMajor, 2], ['/dev/nvidiactl', nvidiaMajor, 255], ['/dev/nvidia-uvm', 236, 0], ['/dev/nvidia-uvm-tools', 236, 1], ['/dev/nvidia-modeset', nvidiaMajor, 254]]);
    assert.equal(e.env?.NVIDIA_VISIBLE_DEVICES, fake.uuids[2]);
    assert.equal(e.env?.CUDA_VISIBLE_DEVICES, '0');
  });

  test('Ascend: two 910B3 NPUs, the one in Alarm unhealthy', async () => {
    const r = (await discover()).get('ascend')!;
    assert.deepEqual(r.devices.map((d) => [d.resource, d.id, d.healthy, d.memoryBytes]), [
      ['huawei.com/Ascend910', 'Ascend910-0', true, 65536 * 2 ** 20], ['huawei.com/Ascend910', 'Ascend910-1', false, 65536 * 2 ** 20]]);
    assert.equal(r.labels['huawei.com/npu.count'], '2');
  });

  test('CDI: the fake FPGA spec gives two devices of its kind', async () => {
    const r = (await discover()).get('cdi')!;
    assert.deepEqual(r.devices.map((d) => [d.resource, d.id]), [['fake.lantern.dev/fpga', 'fake.lantern.dev/fpga=fpga0'], ['fake.lantern.dev/fpga', 'fake.lantern.dev/fpga=fpga1']]);
  });

  test('the placeholder libraries are in the fake root\'s linker cache', async () => {
    const { stdout } = await run('ldconfig', ['-p', '-C', path.join(fake.root, 'etc/ld.so.cache')]);
    assert.match(stdout, /libcuda\.so\.1 .*=> \/usr\/lib\/x86_64-linux-gnu\/libcuda\.so\.1/);
    assert.match(stdout, /libnvidia-ml\.so\.1 /);
  });
});
