import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../../api/node.js';
import { nodeDevicesAnnotation } from '../../api/node-devices.js';
import { agentNode, apiError, withNodes, type Kit } from './testkit.js';

const gpu = { resource: 'nvidia.com/gpu', id: 'GPU-1', index: 0, model: 'NVIDIA A100-SXM4-80GB', memoryMiB: 81920, healthy: true, utilization: 3 };

async function registered(kit: Kit, name: string): Promise<Node> {
  const created = await kit.as(name).create('nodes', agentNode(name, {}));
  return kit.as(name).updateStatus('nodes', created);
}

const withDevices = (n: Node, value: string, labels: Record<string, string> = {}): Node =>
  ({ ...n, metadata: { ...n.metadata, labels: { ...n.metadata.labels, ...labels }, annotations: { ...n.metadata.annotations, [nodeDevicesAnnotation]: value } } });

describe('node restriction: the accelerator labels and lantern.dev/devices', () => {
  test('a node writes its GPU labels, NFD\'s pci-10de label (under node.kubernetes.io, the kubelet\'s domain) and a well-formed device list on its own Node', () => withNodes(async (kit) => {
    const n = await registered(kit, 'gpu-1');
    const labels = { 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB', 'nvidia.com/gpu.count': '4', 'gpu.type': 'a100', 'feature.node.kubernetes.io/pci-10de.present': 'true' };
    const ok = await kit.as('gpu-1').update<Node>('nodes', withDevices(n, JSON.stringify([gpu]), labels));
    assert.equal(ok.metadata.labels?.['gpu.type'], 'a100');
    assert.equal(ok.metadata.labels?.['feature.node.kubernetes.io/pci-10de.present'], 'true');
    assert.deepEqual(JSON.parse(ok.metadata.annotations?.[nodeDevicesAnnotation] ?? ''), [gpu]);
  }));

  test('a malformed or oversized device list is refused with the field and what is expected', () => withNodes(async (kit) => {
    const n = await registered(kit, 'gpu-1');
    const field = `metadata.annotations.${nodeDevicesAnnotation}`;
    await assert.rejects(kit.as('gpu-1').update('nodes', withDevices(n, '{"not":"a list"}')), apiError('Forbidden', /must be a JSON list of devices/, field));
    await assert.rejects(kit.as('gpu-1').update('nodes', withDevices(n, JSON.stringify([{ ...gpu, healthy: 'yes' }]))), apiError('Forbidden', /\[0\]\.healthy: must be true or false/, field));
    const huge = JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ ...gpu, id: `GPU-${i}`, model: 'x'.repeat(200) })));
    await assert.rejects(kit.as('gpu-1').update('nodes', withDevices(n, huge)), apiError('Forbidden', /must be at most 262144 bytes/, field));
  }));

  test('another node may not write this Node\'s devices', () => withNodes(async (kit) => {
    const n = await registered(kit, 'gpu-1');
    await registered(kit, 'gpu-2');
    await assert.rejects(kit.as('gpu-2').update('nodes', withDevices(n, JSON.stringify([gpu]), { 'gpu.type': 'h100' })), apiError('Forbidden'));
    const stored = await kit.admin.get<Node>('nodes', 'gpu-1');
    assert.equal(stored.metadata.annotations?.[nodeDevicesAnnotation], undefined);
  }));
});
