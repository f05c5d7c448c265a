import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Pod } from '../../api/pod.js';
import { DeviceRegistry } from './registry.js';
import type { ContainerEdits, Device, DeviceProvider } from './types.js';
import type { Sharing } from './units.js';

const GiB = 2 ** 30;
const gpu = (index: number, group?: string): Device => ({
  resource: 'nvidia.com/gpu', id: `GPU-fake-${index}`, index, model: 'FAKE A100-SXM4-80GB', memoryBytes: 80 * GiB, healthy: true,
  ...(group ? { topologyGroup: group } : {}),
});

/** A provider over a fixed list, recording what edits() was asked for. */
class FakeProvider implements DeviceProvider {
  readonly name = 'nvidia';
  readonly asked: string[][] = [];
  constructor(public devices: Device[]) {}
  discover(): Promise<{ devices: Device[]; labels: Record<string, string> }> { return Promise.resolve({ devices: this.devices, labels: { 'gpu.type': 'a100' } }); }
  edits(devs: Device[]): Promise<ContainerEdits> {
    this.asked.push(devs.map((d) => d.id));
    return Promise.resolve({ env: { NVIDIA_VISIBLE_DEVICES: devs.map((d) => d.id).join(',') }, deviceNodes: devs.map((d) => ({ path: `/dev/nvidia${d.index ?? 0}` })) });
  }
}

const pod = (uid: string, limits: Record<string, string>, annotations?: Record<string, string>): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: uid, namespace: 'default', uid, ...(annotations ? { annotations } : {}) },
  spec: { containers: [{ name: 'c', image: 'busybox', resources: { limits } }] },
});

const dirs: string[] = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

async function registry(devices: Device[], sharing?: Sharing, dataDir?: string): Promise<{ reg: DeviceRegistry; prov: FakeProvider; dir: string }> {
  const dir = dataDir ?? mkdtempSync(path.join(tmpdir(), 'g2-reg-'));
  if (!dataDir) dirs.push(dir);
  const prov = new FakeProvider(devices);
  const reg = new DeviceRegistry({ providers: [prov], dataDir: dir, ...(sharing ? { sharing } : {}) });
  await reg.refresh();
  return { reg, prov, dir };
}

async function got(reg: DeviceRegistry, p: Pod): Promise<string | undefined> {
  const a = await reg.allocate(p, p.spec.containers[0]!);
  if ('wait' in a) return undefined;
  return a.edits?.env?.NVIDIA_VISIBLE_DEVICES;
}

describe('DeviceRegistry', () => {
  test('advertises healthy devices as allocatable, all as capacity, and the providers\' labels', async () => {
    const { reg } = await registry([gpu(0), { ...gpu(1), healthy: false }]);
    assert.deepEqual(reg.resources(), { capacity: { 'nvidia.com/gpu': '2' }, allocatable: { 'nvidia.com/gpu': '1' } });
    assert.equal(reg.labels()['gpu.type'], 'a100');
  });

  test('never gives one GPU to two pods; a third pod waits with the reason', async () => {
    const { reg } = await registry([gpu(0), gpu(1)]);
    const a = await got(reg, pod('a', { 'nvidia.com/gpu': '1' }));
    const b = await got(reg, pod('b', { 'nvidia.com/gpu': '1' }));
    assert.ok(a && b && a !== b, `${a} vs ${b}`);
    const pc = pod('c', { 'nvidia.com/gpu': '1' });
    const c = await reg.allocate(pc, pc.spec.containers[0]!);
    assert.deepEqual(c, { wait: 'nvidia.com/gpu: 1 wanted, 0 free and healthy on this node' });
    // The same container asking again keeps its GPU (idempotent across restarts of the container).
    assert.equal(await got(reg, pod('a', { 'nvidia.com/gpu': '1' })), a);
    await reg.release(pod('a', {}));
    assert.equal(await got(reg, pod('c', { 'nvidia.com/gpu': '1' })), a);
  });

  test('a container without device limits gets no edits', async () => {
    const { reg } = await registry([gpu(0)]);
    assert.deepEqual(await reg.allocate(pod('x', { cpu: '1' }), pod('x', { cpu: '1' }).spec.containers[0]!), { edits: undefined });
  });

  test('assignments survive a restart (the file is re-read); pods that are gone are freed by prune', async () => {
    const { reg, dir } = await registry([gpu(0), gpu(1)]);
    const a = await got(reg, pod('a', { 'nvidia.com/gpu': '1' }));
    await got(reg, pod('b', { 'nvidia.com/gpu': '1' }));
    const saved = JSON.parse(readFileSync(path.join(dir, 'devices', 'assignments.json'), 'utf8')) as unknown[];
    assert.equal(saved.length, 2);
    const { reg: again } = await registry([gpu(0), gpu(1)], undefined, dir);
    assert.equal(await got(again, pod('a', { 'nvidia.com/gpu': '1' })), a, 'the re-adopted pod keeps its GPU');
    assert.equal(await got(again, pod('c', { 'nvidia.com/gpu': '1' })), undefined, 'nothing is free after the restart');
    again.prune(new Set(['a']), new Date(Date.now() + 1));
    assert.equal(await got(again, pod('c', { 'nvidia.com/gpu': '1' })), 'GPU-fake-1', 'b was gone: its GPU is free');
    assert.deepEqual(again.assignments().map((x) => x.pod).sort(), ['a', 'c']);
  });

  test('keeps a pod\'s GPUs in one topology group, best fit', async () => {
    const { reg } = await registry([gpu(0, 'A'), gpu(1, 'A'), gpu(2, 'B'), gpu(3, 'B'), gpu(4, 'C'), gpu(5, 'C'), gpu(6, 'C')]);
    assert.equal(await got(reg, pod('one', { 'nvidia.com/gpu': '1' })), 'GPU-fake-0');
    // Group A has one left, B two, C three: two GPUs fit best in B (not 1 + 2 across A and B).
    assert.equal(await got(reg, pod('two', { 'nvidia.com/gpu': '2' })), 'GPU-fake-2,GPU-fake-3');
    assert.equal(await got(reg, pod('three', { 'nvidia.com/gpu': '3' })), 'GPU-fake-4,GPU-fake-5,GPU-fake-6');
  });

  test('the GPUs a pod names (--gpus device=) by index or UUID; a GPU the node lacks is refused', async () => {
    const { reg } = await registry([gpu(0), gpu(1), gpu(2)]);
    assert.equal(await got(reg, pod('n', { 'nvidia.com/gpu': '2' }, { 'lantern.dev/gpu-devices': '2,GPU-fake-0' })), 'GPU-fake-0,GPU-fake-2');
    const held = pod('h', { 'nvidia.com/gpu': '1' }, { 'lantern.dev/gpu-devices': '0' });
    assert.deepEqual(await reg.allocate(held, held.spec.containers[0]!), { wait: 'nvidia.com/gpu: GPU 0 is held by another pod' });
    const none = pod('x', { 'nvidia.com/gpu': '1' }, { 'lantern.dev/gpu-devices': '7' });
    await assert.rejects(reg.allocate(none, none.spec.containers[0]!), { name: 'DeviceRequestError', message: /GPU 7 does not exist on this node/ });
  });

  test('time-slicing advertises K replicas per GPU and spreads replicas over GPUs', async () => {
    const { reg, prov } = await registry([gpu(0), gpu(1)], { mode: 'time-slicing', replicas: 2 });
    assert.equal(reg.resources().allocatable['nvidia.com/gpu'], '4');
    const seen = [];
    for (const n of ['a', 'b', 'c', 'd']) seen.push(await got(reg, pod(n, { 'nvidia.com/gpu': '1' })));
    assert.deepEqual(seen, ['GPU-fake-0', 'GPU-fake-1', 'GPU-fake-0', 'GPU-fake-1'], 'two pods per GPU, one GPU each first');
    assert.equal(await got(reg, pod('e', { 'nvidia.com/gpu': '1' })), undefined);
    assert.deepEqual(reg.assignments().map((a) => a.units[0]), ['GPU-fake-0::0', 'GPU-fake-1::0', 'GPU-fake-0::1', 'GPU-fake-1::1']);
    assert.deepEqual(prov.asked.at(-1), ['GPU-fake-1'], 'the provider is asked for the physical GPU');
  });

  test('MPS: GPU memory is advertised, shares are placed best fit and never on a whole-assigned GPU', async () => {
    const { reg } = await registry([gpu(0), gpu(1)], { mode: 'mps', replicas: 1 });
    assert.equal(reg.resources().allocatable['lantern.dev/gpu-memory'], String(160 * GiB));
    assert.equal(await got(reg, pod('whole', { 'nvidia.com/gpu': '1' })), 'GPU-fake-0');
    assert.equal(await got(reg, pod('s1', { 'lantern.dev/gpu-memory': '60Gi' })), 'GPU-fake-1');
    assert.equal(await got(reg, pod('s2', { 'lantern.dev/gpu-memory': '20Gi' })), 'GPU-fake-1');
    assert.equal(await got(reg, pod('s3', { 'lantern.dev/gpu-memory': '1Gi' })), undefined, 'GPU 1 is full and GPU 0 is held whole');
    assert.equal(await got(reg, pod('w2', { 'nvidia.com/gpu': '1' })), undefined, 'a shared GPU is not given whole');
  });
});
