import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withTestApi } from '../../testing/api.js';
import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import type { Event } from '../../api/schema/event.js';
import { EventRecorder } from '../../client/kit/events.js';
import { nodeDevices } from '../../api/node-devices.js';
import { DeviceAdvertiser, type DeviceSource } from './advertise.js';
import { dcgmMetricsText } from './dcgm-metrics.js';
import type { Assignment } from './assignments.js';
import type { Found } from './units.js';

const gpu = (i: number, healthy = true): Found => ({ provider: 'nvidia', device: { resource: 'nvidia.com/gpu', id: `GPU-${i}`, index: i, model: 'NVIDIA A100-SXM4-80GB', memoryBytes: 81920 * 2 ** 20, healthy, metrics: { utilization: 10 * i, memoryUsedBytes: 1024 * 2 ** 20, powerWatts: 60, temperatureC: 30 } } });

/** A stand-in for the DeviceRegistry: what it found, its labels, counts and assignments. */
function source(found: Found[], held: Assignment[] = []): DeviceSource & { set(f: Found[]): void } {
  let now = found;
  return {
    set(f) { now = f; },
    found: () => now,
    labels: (): Record<string, string> => (now.length > 0 ? { 'nvidia.com/gpu.count': String(now.length), 'gpu.type': 'a100' } : {}),
    resources: () => {
      const count = (f: Found[]): Record<string, string> => (now.length > 0 ? { 'nvidia.com/gpu': String(f.length) } : {});
      return { capacity: count(now), allocatable: count(now.filter((f) => f.device.healthy)) };
    },
    assignments: () => held,
    onChange: () => undefined,
  };
}

test('advertises the devices next to what is there, takes bad ones out of allocatable with events on the node and the holder', () => withTestApi(async (t) => {
  await t.api.create<Node>('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { zone: 'a' } }, spec: {} });
  const n0 = await t.api.get<Node>('nodes', 'n1');
  await t.api.updateStatus('nodes', { ...n0, status: { capacity: { cpu: '4', 'lantern.dev/sriov-eth1': '8' }, allocatable: { cpu: '4', 'lantern.dev/sriov-eth1': '8' } } });
  const pod = await t.api.create<Pod>('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'train', namespace: 'default' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x' }] } });
  const held: Assignment[] = [{ podUid: pod.metadata.uid!, namespace: 'default', pod: 'train', container: 'c', resource: 'nvidia.com/gpu', units: ['GPU-1'], devices: ['GPU-1'], at: new Date().toISOString() }];
  const src = source([gpu(0), gpu(1)], held);
  const adv = new DeviceAdvertiser({ api: t.api, nodeName: 'n1', source: src, events: new EventRecorder(t.api, 'kubelet'), sysfsRoot: '/nonexistent' });
  await adv.sync();
  let n = await t.api.get<Node>('nodes', 'n1');
  assert.deepEqual(n.status?.allocatable, { cpu: '4', 'lantern.dev/sriov-eth1': '8', 'nvidia.com/gpu': '2' });
  assert.deepEqual(n.metadata.labels, { zone: 'a', 'nvidia.com/gpu.count': '2', 'gpu.type': 'a100' });
  assert.equal(nodeDevices(n)[1]?.pod, 'default/train');

  src.set([gpu(0), gpu(1, false)]);
  await adv.sync();
  n = await t.api.get<Node>('nodes', 'n1');
  assert.equal(n.status?.capacity?.['nvidia.com/gpu'], '2');
  assert.equal(n.status?.allocatable?.['nvidia.com/gpu'], '1');
  const events = (await t.api.list<Event>('events', 'default')).items.filter((e) => e.reason === 'DeviceUnhealthy');
  assert.deepEqual(events.map((e) => [e.involvedObject.kind, e.involvedObject.name, e.type]).sort(), [['Node', 'n1', 'Warning'], ['Pod', 'train', 'Warning']]);
  assert.match(events.find((e) => e.involvedObject.kind === 'Pod')?.message ?? '', /nvidia\.com\/gpu GPU-1 \(index 1, NVIDIA A100-SXM4-80GB\) held by container c is unhealthy/);

  src.set([]);
  await adv.sync();
  n = await t.api.get<Node>('nodes', 'n1');
  assert.equal(n.status?.capacity?.['nvidia.com/gpu'], '0', 'a resource whose devices went stays at 0, as the kubelet does');
  assert.deepEqual(n.metadata.labels, { zone: 'a' }, 'the device labels go with the devices');
  assert.equal(n.metadata.annotations?.['lantern.dev/devices'], undefined, 'and the device list');
}));

test('dcgm-exporter series name the holder of each GPU', async () => {
  const held: Assignment[] = [{ podUid: 'u', namespace: 'ml', pod: 'train', container: 'c', resource: 'nvidia.com/gpu', units: ['GPU-1'], devices: ['GPU-1'], at: '' }];
  const text = await dcgmMetricsText(source([gpu(0), gpu(1)], held), 'n1');
  assert.match(text, /^# TYPE DCGM_FI_DEV_GPU_UTIL gauge$/m);
  assert.match(text, /^DCGM_FI_DEV_GPU_UTIL\{gpu="1",UUID="GPU-1",device="nvidia1",modelName="NVIDIA A100-SXM4-80GB",Hostname="n1",namespace="ml",pod="train",container="c"\} 10$/m);
  assert.match(text, /^DCGM_FI_DEV_FB_FREE\{gpu="0",[^}]*pod=""[^}]*\} 80896$/m);
  assert.equal(await dcgmMetricsText(source([]), 'n1'), '');
});
