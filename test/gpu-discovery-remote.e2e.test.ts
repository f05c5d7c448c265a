// GPU discovery on a remote agent, whose writes pass node restriction: the node's own credential sets
// the GPU labels, NFD's pci label and lantern.dev/devices on its Node, and reports a bad GPU (FAKE root).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer } from './harness/lanternd.js';
import { RemoteAgent } from './harness/remote-agent.js';
import { makeFakeGpuRoot, type FakeGpuRoot } from '../src/testing/fake-gpu/fake-root.js';

interface NodeView { metadata: { labels?: Record<string, string>; annotations?: Record<string, string> }; status?: { capacity?: Record<string, string>; allocatable?: Record<string, string> } }
interface EventList { items: { reason?: string; type?: string; message?: string; involvedObject: { kind?: string; name?: string } }[] }

describe('GPU discovery on a remote agent (node restriction applies)', () => {
  let fake: FakeGpuRoot;
  const server = new TestServer(['--no-agent']);
  let agent: RemoteAgent;
  const node = async (): Promise<NodeView> => (await server.api<NodeView>('GET', '/api/v1/nodes/g1-gpu-edge')).body;

  before(async () => {
    fake = await makeFakeGpuRoot({ model: 'h100x8', npus: 2 });
    await server.start();
    agent = new RemoteAgent(server, 'g1-gpu-edge', { args: ['--nvidia-driver-root', fake.root, '--cdi-spec-dirs', fake.cdiDir, '--sysfs-root', fake.sysfsRoot, '--device-discovery-interval', '1s'] });
    await agent.start();
  });
  after(async () => {
    await agent?.remove();
    await server.stop();
    await fake?.remove();
  });

  test('the node writes its 8 H100s and 2 NPUs, their labels (recorded as its own) and the device list', async () => {
    const n = await server.until('g1-gpu-edge to advertise its GPUs', async () => { const v = await node(); return v.status?.allocatable?.['nvidia.com/gpu'] === '8' ? v : undefined; });
    const l = n.metadata.labels ?? {};
    assert.equal(l['gpu.type'], 'h100');
    assert.equal(l['nvidia.com/gpu.product'], 'NVIDIA-H100-80GB-HBM3');
    assert.equal(l['nvidia.com/gpu.memory'], '81559');
    assert.equal(l['feature.node.kubernetes.io/pci-10de.present'], 'true');
    const reported = JSON.parse(n.metadata.annotations?.['node.lantern.dev/reported-labels'] ?? '{}') as Record<string, string>;
    assert.equal(reported['gpu.type'], 'h100', 'the server records the GPU labels as the node\'s own');
    const devices = JSON.parse(n.metadata.annotations?.['lantern.dev/devices'] ?? '[]') as { resource: string; topologyGroup?: string; utilization?: number }[];
    const gpus = devices.filter((d) => d.resource === 'nvidia.com/gpu');
    assert.equal(gpus.length, 8);
    assert.deepEqual(new Set(gpus.map((d) => d.topologyGroup)), new Set(['nvlink-0']));
    assert.equal(gpus[0]?.utilization, 98);
    // The second vendor through the same interface: two FAKE Ascend 910B3, the one npu-smi reports in Alarm not allocatable.
    assert.equal(n.status?.capacity?.['huawei.com/Ascend910'], '2');
    assert.equal(n.status?.allocatable?.['huawei.com/Ascend910'], '1');
    assert.equal(l['huawei.com/npu.count'], '2');
    assert.equal(l['huawei.com/npu.product'], 'Ascend910B3');
  });

  test('a GPU that vanishes leaves allocatable, with a DeviceUnhealthy event the node may write', async () => {
    await fake.setGpu(5, 'gone');
    try {
      await server.until('allocatable 7', async () => (await node()).status?.allocatable?.['nvidia.com/gpu'] === '7' || undefined);
      const ev = await server.until('the event', async () => (await server.api<EventList>('GET', '/api/v1/namespaces/default/events')).body.items
        .find((e) => e.reason === 'DeviceUnhealthy' && e.involvedObject.name === 'g1-gpu-edge' && e.message?.includes('(index 5,')));
      assert.equal(ev.type, 'Warning');
      assert.match(ev.message ?? '', /\(index 5, NVIDIA H100 80GB HBM3\) is unhealthy: taken out of allocatable/);
    } finally {
      await fake.setGpu(5, 'ok');
    }
  });
});
