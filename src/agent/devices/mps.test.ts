import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { makeFakeGpuRoot, type FakeGpuRoot } from '../../testing/fake-gpu/fake-root.js';
import { installFakeMps } from '../../testing/fake-gpu/mps.js';
import { MpsDaemons } from './mps.js';
import type { Device } from './types.js';

describe('MPS daemons (FAKE nvidia-cuda-mps-control)', () => {
  let fake: FakeGpuRoot;
  let log = '';
  before(async () => { fake = await makeFakeGpuRoot({ cdi: false }); log = await installFakeMps(fake.root); });
  after(async () => { await fake.remove(); });

  test('one daemon per GPU, started once; the container gets the pipe and the limits; quit stops it', async () => {
    const gpu: Device = { resource: 'nvidia.com/gpu', id: fake.uuids[1]!, index: 1, memoryBytes: 80 * 2 ** 30, healthy: true };
    const mps = new MpsDaemons({ controlPath: path.join(fake.root, 'usr/bin/nvidia-cuda-mps-control'), dir: path.join(fake.root, 'mps') });
    await Promise.all([mps.ensure(gpu), mps.ensure(gpu)]);
    await mps.ensure(gpu);
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    assert.deepEqual(lines, [`start gpu=${gpu.id} pipe=${mps.pipeDir(gpu)}`]);
    assert.ok(existsSync(path.join(mps.pipeDir(gpu), 'control')));
    const e = mps.edits(gpu, 20 * 2 ** 30);
    assert.deepEqual(e.env, { CUDA_MPS_PIPE_DIRECTORY: '/tmp/nvidia-mps', CUDA_MPS_PINNED_DEVICE_MEM_LIMIT: '0=20480M', CUDA_MPS_ACTIVE_THREAD_PERCENTAGE: '25' });
    assert.deepEqual(e.mounts, [{ destination: '/tmp/nvidia-mps', source: mps.pipeDir(gpu), type: 'bind' }]);
    await mps.quit(gpu);
    assert.ok(!existsSync(path.join(mps.pipeDir(gpu), 'control')));
    assert.match(readFileSync(log, 'utf8'), /^quit pipe=/m);
  });
});
