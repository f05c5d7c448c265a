// GPU discovery end to end on a FAKE driver root (src/testing/fake-gpu: mknod'd device nodes, an
// nvidia-smi printing recorded output): the real lanternd finds four A100s, advertises them with GPU
// feature discovery's labels, the scheduler uses them, `lcctl gpu ls` lists them, and a GPU that
// turns bad leaves allocatable with a DeviceUnhealthy event.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';
import { getPod } from './harness/pods.js';
import { makeFakeGpuRoot, type FakeGpuRoot } from '../src/testing/fake-gpu/fake-root.js';

interface NodeView { metadata: { labels?: Record<string, string>; annotations?: Record<string, string> }; status?: { capacity?: Record<string, string>; allocatable?: Record<string, string> } }

const affinityPod = (name: string, types: string[]): unknown => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name },
  spec: {
    restartPolicy: 'Never', terminationGracePeriodSeconds: 0,
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'gpu.type', operator: 'In', values: types }] }] } } },
    containers: [{ name: 'main', image: 'busybox', command: ['sleep', '300'] }],
  },
});

describe('GPU discovery on a FAKE driver root', () => {
  let fake: FakeGpuRoot;
  let server: TestServer;
  let cli: Cli;
  const node = async (): Promise<NodeView> => (await server.api<NodeView>('GET', '/api/v1/nodes/node-1')).body;

  before(async () => {
    fake = await makeFakeGpuRoot({ model: 'a100x4' });
    server = new TestServer(['--nvidia-driver-root', fake.root, '--cdi-spec-dirs', fake.cdiDir, '--sysfs-root', fake.sysfsRoot, '--device-discovery-interval', '1s']);
    cli = new Cli(server);
    await server.start();
    await cli.importBusybox();
  });
  after(async () => {
    for (const p of ['gpu-ok', 'gpu-h100', 'gpu-eight', 'gpu-one']) await cli?.run(['delete', 'pod', p, '--grace-period', '0']);
    await server?.stop();
    await fake?.remove();
  });

  test('the Node advertises nvidia.com/gpu, the fake CDI devices, and GPU feature discovery\'s labels', async () => {
    const n = await server.until('node-1 to advertise its GPUs', async () => { const v = await node(); return v.status?.capacity?.['nvidia.com/gpu'] === '4' ? v : undefined; });
    assert.equal(n.status?.allocatable?.['nvidia.com/gpu'], '4');
    assert.equal(n.status?.capacity?.['fake.lantern.dev/fpga'], '2');
    assert.ok(n.status?.capacity?.cpu, 'cpu, memory and pods are kept');
    const l = n.metadata.labels ?? {};
    assert.equal(l['nvidia.com/gpu.product'], 'NVIDIA-A100-SXM4-80GB');
    assert.equal(l['nvidia.com/gpu.memory'], '81920');
    assert.equal(l['nvidia.com/gpu.count'], '4');
    assert.equal(l['gpu.type'], 'a100');
    assert.equal(l['feature.node.kubernetes.io/pci-10de.present'], 'true');
    const devices = JSON.parse(n.metadata.annotations?.['lantern.dev/devices'] ?? '[]') as { id: string; topologyGroup?: string }[];
    assert.deepEqual(devices.filter((d) => d.id.startsWith('GPU-')).map((d) => [d.id, d.topologyGroup]), fake.uuids.map((u, i) => [u, i < 2 ? 'nvlink-0' : 'nvlink-2']));
  });

  test('nodeAffinity gpu.type In [a100, v100] schedules; [h100] and 8 GPUs get the scheduler\'s message', async () => {
    await cli.ok(['apply', '-f', '-'], JSON.stringify(affinityPod('gpu-ok', ['a100', 'v100'])));
    const ok = await server.until('gpu-ok to be bound', async () => { const p = await getPod(server, 'gpu-ok'); return p?.spec.nodeName ? p : undefined; });
    assert.equal(ok.spec.nodeName, 'node-1');
    await cli.ok(['apply', '-f', '-'], JSON.stringify(affinityPod('gpu-h100', ['h100'])));
    const h100 = await server.until('gpu-h100 to be unschedulable', async () => (await getPod(server, 'gpu-h100'))?.status?.conditions?.find((c) => c.reason === 'Unschedulable'));
    assert.equal(h100.message, "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.");
    const eight = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'gpu-eight' }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['true'], resources: { limits: { 'nvidia.com/gpu': '8' } } }] } };
    await cli.ok(['apply', '-f', '-'], JSON.stringify(eight));
    const c = await server.until('gpu-eight to be unschedulable', async () => (await getPod(server, 'gpu-eight'))?.status?.conditions?.find((x) => x.reason === 'Unschedulable'));
    assert.equal(c.message, '0/1 nodes are available: 1 Insufficient nvidia.com/gpu.');
  });

  test('lcctl gpu ls lists the GPUs; -o json gives the same', async () => {
    const out = await cli.ok(['gpu', 'ls']);
    assert.match(out, /^NODE\s+INDEX\s+MODEL\s+MEMORY\s+HEALTH\s+POD\s+UTIL$/m);
    for (let i = 0; i < 4; i++) assert.match(out, new RegExp(`^node-1\\s+${i}\\s+NVIDIA A100-SXM4-80GB\\s+80GiB\\s+Healthy\\s+`, 'm'));
    assert.match(out, /^node-1\s+1\s+.*\s+37%$/m);
    const json = JSON.parse(await cli.ok(['gpu', 'ls', '--node', 'node-1', '-o', 'json'])) as { items: { id: string; index: number }[] };
    assert.deepEqual(json.items.map((d) => d.id), fake.uuids);
    assert.match(await cli.ok(['gpu', 'ls', '-o', 'wide']), /^NODE\s+INDEX.*\s+ID\s+RESOURCE\s+TOPOLOGY/m);
    const top = await server.until('lcctl top nodes with GPU columns', async () => { const r = await cli.run(['top', 'nodes']); return r.code === 0 ? r.stdout : undefined; });
    assert.match(top, /^NAME\s+CPU\(cores\)\s+CPU%\s+MEMORY\(bytes\)\s+MEMORY%\s+GPU\(used\/total\)\s+GPU%$/m);
    assert.match(top, /^node-1\s+.*\s+0\/4\s+12%$/m, 'the mean of 0, 37 and 0: the MIG GPU reports no utilisation');
  });

  test('describe node has a Devices section; the node\'s /metrics has dcgm-exporter\'s GPU series', async () => {
    const d = await cli.ok(['describe', 'node', 'node-1']);
    assert.match(d, /^Devices:\n\s+Resource\s+Index\s+ID\s+Model\s+Memory\s+Health\s+Topology\s+Pod\s+Util$/m);
    assert.match(d, new RegExp(`^\\s+nvidia\\.com/gpu\\s+2\\s+${fake.uuids[2]}\\s+NVIDIA A100-SXM4-80GB\\s+80GiB\\s+Healthy\\s+nvlink-2\\s+<none>`, 'm'));
    assert.match(d, /^\s+fake\.lantern\.dev\/fpga\s+-\s+fake\.lantern\.dev\/fpga=fpga0\s+fpga0\s+/m);
    const r = await server.api<string>('GET', '/api/v1/nodes/node-1/proxy/metrics/cadvisor');
    const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
    assert.equal(r.status, 200, text);
    assert.match(text, new RegExp(`^DCGM_FI_DEV_GPU_UTIL\\{gpu="1",UUID="${fake.uuids[1]}",device="nvidia1",modelName="NVIDIA A100-SXM4-80GB",Hostname="node-1",namespace="",pod="",container=""\\} 37$`, 'm'));
    assert.match(text, /^DCGM_FI_DEV_FB_USED\{gpu="1",[^}]*\} 20817$/m);
    assert.match(text, /^DCGM_FI_DEV_FB_FREE\{gpu="1",[^}]*\} 61103$/m);
    assert.match(text, /^DCGM_FI_DEV_POWER_USAGE\{gpu="1",[^}]*\} 212\.47$/m);
    assert.match(text, /^DCGM_FI_DEV_GPU_TEMP\{gpu="1",[^}]*\} 47$/m);
  });

  test('lcctl gpu install-driver runs a tracked Job on each NVIDIA node and reports per node', async () => {
    // The install command is replaced (LANTERN_GPU_DRIVER_INSTALL): the Job is real (privileged, host root, chroot), the install is an echo.
    const r = await server.lcctl(['gpu', 'install-driver', '--version', '550', '--node', 'node-1', '--timeout', '3m'], '', { LANTERN_GPU_DRIVER_INSTALL: 'echo FAKE nvidia-driver install' });
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /^install-driver [0-9a-f]{6} \(version 550\): 1 node\(s\)$/m);
    assert.match(r.stdout, /^NODE\s+RESULT\s+MESSAGE\nnode-1\s+Installed\s+driver installed; GPUs are rediscovered$/m);
    const bad = await server.lcctl(['gpu', 'install-driver', '--version', '5x5']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--version must be a driver version such as 535/);
  });

  test('a GPU that turns bad leaves allocatable with a DeviceUnhealthy event, and comes back', async () => {
    await fake.setGpu(1, 'fail');
    try {
      const n = await server.until('allocatable to drop to 3', async () => { const v = await node(); return v.status?.allocatable?.['nvidia.com/gpu'] === '3' ? v : undefined; });
      assert.equal(n.status?.capacity?.['nvidia.com/gpu'], '4');
      const ev = await server.until('the DeviceUnhealthy event', async () => {
        const out = (await cli.run(['get', 'events'])).stdout;
        return /Warning\s+DeviceUnhealthy\s+node\/node-1\s+nvidia\.com\/gpu GPU-\S+ \(index 1, NVIDIA A100-SXM4-80GB\) is unhealthy/.test(out) ? out : undefined;
      });
      assert.ok(ev);
      assert.match(await cli.ok(['gpu', 'ls']), /^node-1\s+1\s+NVIDIA A100-SXM4-80GB\s+80GiB\s+Unhealthy\s+/m);
    } finally {
      await fake.setGpu(1, 'ok');
    }
    await server.until('allocatable back to 4', async () => (await node()).status?.allocatable?.['nvidia.com/gpu'] === '4' || undefined);
  });

  test('a pod holding a GPU shows in gpu ls and the DCGM series, and gets DeviceUnhealthy when its GPU turns bad', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'gpu-one' }, spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 0, containers: [{ name: 'main', image: 'busybox', command: ['sleep', '300'], resources: { limits: { 'nvidia.com/gpu': '1' } } }] } };
    await cli.ok(['apply', '-f', '-'], JSON.stringify(pod));
    const held = await server.until('gpu-one to hold a GPU in lantern.dev/devices', async () => {
      const devices = JSON.parse((await node()).metadata.annotations?.['lantern.dev/devices'] ?? '[]') as { index?: number; pod?: string; container?: string }[];
      return devices.find((d) => d.pod === 'default/gpu-one');
    });
    assert.equal(held.container, 'main');
    assert.match(await cli.ok(['gpu', 'ls']), new RegExp(`^node-1\\s+${held.index}\\s+NVIDIA A100-SXM4-80GB\\s+80GiB\\s+Healthy\\s+default/gpu-one\\s+`, 'm'));
    const r = await server.api<string>('GET', '/api/v1/nodes/node-1/proxy/metrics/cadvisor');
    assert.match(String(r.body), new RegExp(`^DCGM_FI_DEV_GPU_TEMP\\{gpu="${held.index}",[^}]*namespace="default",pod="gpu-one",container="main"\\} \\d+$`, 'm'));
    await fake.setGpu(held.index ?? -1, 'fail');
    try {
      await server.until('the pod\'s DeviceUnhealthy event', async () => {
        const out = (await cli.run(['get', 'events'])).stdout;
        return /Warning\s+DeviceUnhealthy\s+pod\/gpu-one\s+nvidia\.com\/gpu GPU-\S+ \(index \d, NVIDIA A100-SXM4-80GB\) held by container main is unhealthy/.test(out) || undefined;
      });
    } finally {
      await fake.setGpu(held.index ?? -1, 'ok');
    }
  });
});
