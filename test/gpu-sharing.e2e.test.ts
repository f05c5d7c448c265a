// GPU sharing end to end on a FAKE driver root (4 fake A100 80GB; a FAKE nvidia-cuda-mps-control that
// makes the control pipe and logs): with --gpu-sharing mps the node advertises its GPUs' memory as
// lantern.dev/gpu-memory, two 40Gi shares land on one GPU whose MPS daemon the agent starts once, each
// container gets the pipe and the limits MPS enforces, a whole GPU never goes to a shared one, and the
// daemon is told to quit when its last share goes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';
import { waitContainer } from './harness/pods.js';
import { eventually } from '../src/testing/eventually.js';
import { makeFakeGpuRoot, type FakeGpuRoot } from '../src/testing/fake-gpu/fake-root.js';
import { installFakeMps } from '../src/testing/fake-gpu/mps.js';

const GiB = 2 ** 30;
const share = (name: string, mem: string): string => JSON.stringify({
  apiVersion: 'v1', kind: 'Pod', metadata: { name },
  spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'main', image: 'busybox', command: ['sleep', '600'], resources: { limits: { 'lantern.dev/gpu-memory': mem } } }] },
});

describe('MPS GPU sharing on a FAKE driver root', () => {
  let fake: FakeGpuRoot;
  let server: TestServer;
  let cli: Cli;
  let mpsLog = '';
  const sh = async (pod: string, cmd: string): Promise<string> => (await cli.ok(['exec', pod, 'sh', '-c', cmd])).trim();
  const running = (pod: string): Promise<unknown> => waitContainer(server, pod, 'running', (cs) => cs.state.running !== undefined);

  before(async () => {
    fake = await makeFakeGpuRoot({ model: 'a100x4', cdi: false });
    mpsLog = await installFakeMps(fake.root);
    server = new TestServer(['--nvidia-driver-root', fake.root, '--cdi-spec-dirs', path.join(fake.root, 'etc/cdi'), '--sysfs-root', fake.sysfsRoot, '--device-discovery-interval', '1s', '--gpu-sharing', 'mps']);
    cli = new Cli(server);
    await server.start();
    await cli.importBusybox();
  });
  after(async () => {
    try {
      for (const p of ['mps-a', 'mps-b', 'mps-whole']) await cli?.run(['rm', '-f', p]);
      await server?.stop();
    } finally {
      await fake?.remove();
    }
  });

  test('the node advertises its GPUs\' memory as lantern.dev/gpu-memory', async () => {
    const n = await server.until('gpu-memory to be advertised', async () => {
      const v = (await server.api<{ status?: { allocatable?: Record<string, string> } }>('GET', '/api/v1/nodes/node-1')).body;
      return v.status?.allocatable?.['lantern.dev/gpu-memory'] ? v : undefined;
    });
    assert.equal(n.status?.allocatable?.['lantern.dev/gpu-memory'], String(4 * 80 * GiB));
  });

  test('two 40Gi shares run on one GPU under one MPS daemon, each with its limits; a whole GPU goes elsewhere', async () => {
    await cli.ok(['apply', '-f', '-'], share('mps-a', '40Gi'));
    await cli.ok(['apply', '-f', '-'], share('mps-b', '40Gi'));
    await running('mps-a');
    await running('mps-b');
    const a = await sh('mps-a', 'echo "$NVIDIA_VISIBLE_DEVICES $CUDA_MPS_PIPE_DIRECTORY $CUDA_MPS_PINNED_DEVICE_MEM_LIMIT $CUDA_MPS_ACTIVE_THREAD_PERCENTAGE"; ls /tmp/nvidia-mps; ls /dev');
    const b = await sh('mps-b', 'echo "$NVIDIA_VISIBLE_DEVICES"');
    const gpu = a.split(' ')[0]!;
    assert.ok(fake.uuids.includes(gpu), a);
    assert.equal(b, gpu, 'both shares on one GPU (best fit)');
    assert.match(a, new RegExp(`^${gpu} /tmp/nvidia-mps 0=40960M 50$`, 'm'));
    assert.match(a, /^control$/m, 'the MPS pipe directory is mounted');
    assert.match(a, new RegExp(`^nvidia${fake.uuids.indexOf(gpu)}$`, 'm'));
    const starts = readFileSync(mpsLog, 'utf8').split('\n').filter((l) => l.startsWith('start'));
    assert.deepEqual(starts.map((l) => l.split(' ')[1]), [`gpu=${gpu}`], 'one daemon, for that GPU');
    await cli.ok(['run', '-d', '--name', 'mps-whole', '--gpus', '1', 'busybox', 'sleep', '600']);
    await running('mps-whole');
    assert.notEqual(await sh('mps-whole', 'echo $NVIDIA_VISIBLE_DEVICES'), gpu, 'a shared GPU is not given whole');
  });

  test('the daemon quits when its last share is gone', async () => {
    await cli.ok(['rm', '-f', 'mps-a']);
    assert.doesNotMatch(readFileSync(mpsLog, 'utf8'), /^quit/m, 'mps-b still uses it');
    await cli.ok(['rm', '-f', 'mps-b']);
    await eventually('the MPS daemon to be told to quit', () => /^quit pipe=/m.test(readFileSync(mpsLog, 'utf8')));
  });
});

describe('time-slicing on a FAKE driver root (--gpu-time-slicing 2)', () => {
  let fake: FakeGpuRoot;
  let server: TestServer;
  let cli: Cli;
  const pods = ['ts-0', 'ts-1', 'ts-2', 'ts-3', 'ts-4'];

  before(async () => {
    fake = await makeFakeGpuRoot({ model: 'a100x4', cdi: false });
    server = new TestServer(['--nvidia-driver-root', fake.root, '--cdi-spec-dirs', path.join(fake.root, 'etc/cdi'), '--sysfs-root', fake.sysfsRoot, '--device-discovery-interval', '1s', '--gpu-time-slicing', '2']);
    cli = new Cli(server);
    await server.start();
    await cli.importBusybox();
  });
  after(async () => {
    try {
      for (const p of pods) await cli?.run(['rm', '-f', p]);
      await server?.stop();
    } finally {
      await fake?.remove();
    }
  });

  test('each GPU is advertised twice; a fifth one-GPU pod shares a GPU, the first four do not', async () => {
    await server.until('8 GPU replicas to be advertised', async () => {
      const v = (await server.api<{ status?: { allocatable?: Record<string, string> } }>('GET', '/api/v1/nodes/node-1')).body;
      return v.status?.allocatable?.['nvidia.com/gpu'] === '8' ? true : undefined;
    });
    const seen: string[] = [];
    for (const p of pods) {
      await cli.ok(['run', '-d', '--name', p, '--gpus', '1', 'busybox', 'sleep', '600']);
      await waitContainer(server, p, 'running', (cs) => cs.state.running !== undefined);
      seen.push((await cli.ok(['exec', p, 'sh', '-c', 'echo $NVIDIA_VISIBLE_DEVICES'])).trim());
    }
    assert.deepEqual([...new Set(seen.slice(0, 4))].sort(), [...fake.uuids].sort(), 'one pod per GPU first');
    assert.ok(fake.uuids.includes(seen[4]!), `the fifth shares a GPU: ${seen.join(' ')}`);
  });
});
