// GPUs and host devices passed into real runc containers, on a FAKE driver root (src/testing/fake-gpu:
// mknod'd NVIDIA device nodes, an nvidia-smi printing recorded output, 4 fake A100s): `lcctl run --gpus`
// gives the container its GPUs' device nodes and NVIDIA_VISIBLE_DEVICES, two pods never share a GPU, a
// pod that does not fit waits Unschedulable (or, in the foreground, exits 125 when no node could ever
// hold it), --device passes a host char device, and an agent restart keeps the assignments.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { RemoteAgent } from './harness/remote-agent.js';
import { Cli } from './harness/cli.js';
import { getPod, waitContainer } from './harness/pods.js';
import { makeFakeGpuRoot, type FakeGpuRoot } from '../src/testing/fake-gpu/fake-root.js';

describe('lcctl run --gpus / --device on a FAKE driver root', () => {
  let fake: FakeGpuRoot;
  let server: TestServer;
  let cli: Cli;
  let devDir = '';
  const env = async (pod: string): Promise<string> => (await cli.ok(['exec', pod, 'sh', '-c', 'echo $NVIDIA_VISIBLE_DEVICES'])).trim();
  const running = (pod: string): Promise<unknown> => waitContainer(server, pod, 'running', (cs) => cs.state.running !== undefined);

  before(async () => {
    fake = await makeFakeGpuRoot({ model: 'a100x4', cdi: false });
    devDir = mkdtempSync(path.join(tmpdir(), 'g2-hostdev-'));
    // A host char device with /dev/null's numbers: opening and writing it is harmless.
    execFileSync('mknod', ['-m', '666', path.join(devDir, 'ttyFAKE0'), 'c', '1', '3']);
    server = new TestServer(['--nvidia-driver-root', fake.root, '--cdi-spec-dirs', path.join(fake.root, 'etc/cdi'), '--sysfs-root', fake.sysfsRoot, '--device-discovery-interval', '1s']);
    cli = new Cli(server);
    await server.start();
    await cli.importBusybox();
    await server.until('node-1 to advertise 4 GPUs', async () => {
      const n = (await server.api<{ status?: { allocatable?: Record<string, string> } }>('GET', '/api/v1/nodes/node-1')).body;
      return n.status?.allocatable?.['nvidia.com/gpu'] === '4' ? true : undefined;
    });
  });
  after(async () => {
    try {
      for (const p of ['gpu-a', 'gpu-b', 'gpu-c']) await cli?.run(['rm', '-f', p]);
      await server?.stop();
    } finally {
      await fake?.remove();
      rmSync(devDir, { recursive: true, force: true });
    }
  });

  test('--gpus 1: the GPU\'s device node, nvidiactl and NVIDIA_VISIBLE_DEVICES inside a real container', async () => {
    const out = await cli.ok(['run', '--rm', '--gpus', '1', 'busybox', 'sh', '-c',
      'ls /dev; echo "NV=$NVIDIA_VISIBLE_DEVICES CUDA=$CUDA_VISIBLE_DEVICES"; ls /usr/bin/nvidia-smi /usr/lib/x86_64-linux-gnu/libcuda.so.1; echo x > /usr/bin/nvidia-smi || echo read-only']);
    assert.match(out, /^nvidia0$/m);
    assert.match(out, /^nvidiactl$/m);
    assert.doesNotMatch(out, /^nvidia1$/m, 'only the GPU it was given');
    assert.match(out, new RegExp(`^NV=${fake.uuids[0]} CUDA=0$`, 'm'));
    // The driver's tools and libraries (the FAKE root's), bound read-only.
    assert.match(out, /^\/usr\/bin\/nvidia-smi$/m);
    assert.match(out, /^\/usr\/lib\/x86_64-linux-gnu\/libcuda\.so\.1$/m);
    assert.match(out, /^read-only$/m);
  });

  test('two pods with 2 GPUs each get different GPUs; a third waits Unschedulable with the scheduler\'s message', async () => {
    await cli.ok(['run', '-d', '--name', 'gpu-a', '--gpus', '2', 'busybox', 'sleep', '600']);
    await cli.ok(['run', '-d', '--name', 'gpu-b', '--gpus', '2', 'busybox', 'sleep', '600']);
    await running('gpu-a');
    await running('gpu-b');
    const a = (await env('gpu-a')).split(',');
    const b = (await env('gpu-b')).split(',');
    assert.equal(a.length, 2);
    assert.equal(b.length, 2);
    assert.deepEqual([...a, ...b].sort(), [...fake.uuids].sort(), 'all four GPUs, none twice');
    // One NVLink pair each (the fake's topology: GPUs 0-1 and 2-3).
    assert.deepEqual(a.map((u) => fake.uuids.indexOf(u)).sort(), [0, 1]);
    const r = await cli.run(['run', '-d', '--name', 'gpu-c', '--gpus', '1', 'busybox', 'sleep', '600']);
    assert.equal(r.code, 0, r.stderr);
    const c = await server.until('gpu-c to be unschedulable', async () => (await getPod(server, 'gpu-c'))?.status?.conditions?.find((x) => x.reason === 'Unschedulable'));
    assert.equal(c.message, '0/1 nodes are available: 1 Insufficient nvidia.com/gpu.');
  });

  test('in the foreground, --gpus 5 (more than any node has) exits 125 with the scheduler\'s message', async () => {
    const r = await cli.expect(125, ['run', '--rm', '--gpus', '5', 'busybox', 'true']);
    assert.match(r.stderr, /0\/1 nodes are available: 1 Insufficient nvidia\.com\/gpu\./);
  });

  test('an agent restart keeps the assignments; a freed GPU goes to the waiting pod', async () => {
    const a = await env('gpu-a');
    await server.kill9();
    await server.start();
    await running('gpu-a');
    assert.equal(await env('gpu-a'), a, 'the re-adopted container keeps its GPUs');
    const file = JSON.parse(readFileSync(path.join(server.dataDir, 'agent', 'devices', 'assignments.json'), 'utf8')) as { pod: string; devices: string[] }[];
    assert.deepEqual(file.map((x) => x.pod).sort(), ['gpu-a', 'gpu-b']);
    const b = (await env('gpu-b')).split(',');
    await cli.ok(['rm', '-f', 'gpu-b']);
    await running('gpu-c');
    const c = await env('gpu-c');
    assert.ok(b.includes(c), `gpu-c got ${c}, one of gpu-b's ${b.join(',')}, not one of gpu-a's`);
  });

  test('--device passes a host char device that the container can open; a missing one is refused', async () => {
    const out = await cli.ok(['run', '--rm', '--device', `${path.join(devDir, 'ttyFAKE0')}:/dev/ttyUSB0`, 'busybox', 'sh', '-c', 'ls -l /dev/ttyUSB0 && echo hello > /dev/ttyUSB0 && echo opened']);
    assert.match(out, /^crw-rw-rw-\s+1\s+\S+\s+\S+\s+1,\s+3 .*\/dev\/ttyUSB0$/m);
    assert.match(out, /^opened$/m);
    const bad = await cli.run(['run', '--rm', '--device', '/dev/g2-no-such-device', 'busybox', 'true']);
    assert.equal(bad.code, 125);
    assert.match(bad.stderr, /error gathering device information while adding custom device "\/dev\/g2-no-such-device"/);
  });

  test('the API refuses a malformed device annotation, naming it', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'gpu-bad', annotations: { 'lantern.dev/host-devices': 'dev/relative', 'lantern.dev/device-cgroup-rules': 'c 1 rwm' } }, spec: { containers: [{ name: 'm', image: 'busybox' }] } };
    const r = await server.api<{ message: string }>('POST', '/api/v1/namespaces/default/pods', pod);
    assert.equal(r.status, 422);
    assert.match(r.body.message, /metadata\.annotations\[lantern\.dev\/host-devices\]/);
    assert.match(r.body.message, /metadata\.annotations\[lantern\.dev\/device-cgroup-rules\]/);
  });

  test('a node may not create a pod that passes a host device (its credential is refused)', async () => {
    const agent = new RemoteAgent(server, 'g2-edge', { busybox: false });
    try {
      await agent.start();
      const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'g2-steal', annotations: { 'lantern.dev/host-devices': '/dev/mem' } }, spec: { nodeName: 'g2-edge', containers: [{ name: 'm', image: 'busybox' }] } };
      const r = await fetch(`${server.url}/api/v1/namespaces/default/pods`, { method: 'POST', headers: { authorization: `Bearer ${agent.credential()}`, 'content-type': 'application/json' }, body: JSON.stringify(pod) });
      assert.equal(r.status, 403, await r.text());
      assert.equal((await server.api('GET', '/api/v1/namespaces/default/pods/g2-steal')).status, 404);
    } finally {
      await agent.remove();
    }
  });
});
