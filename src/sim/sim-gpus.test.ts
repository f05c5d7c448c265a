import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { simConfigFromArgs } from '../daemon/sim-config.js';
import { simulatedNode } from './sim-node.js';

describe('simulated nodes with FAKE GPUs (lanternd sim --gpus N)', () => {
  const shape = { cpu: '64', memory: '512Gi', pods: 110, labels: {}, version: 'test' };

  test('a node advertises nvidia.com/gpu and NVIDIA\'s labels, naming the product as a fake', () => {
    const node = simulatedNode('sim-0', 0, { ...shape, gpus: 8 });
    assert.equal(node.status?.capacity?.['nvidia.com/gpu'], '8');
    assert.equal(node.status?.allocatable?.['nvidia.com/gpu'], '8');
    assert.equal(node.metadata.labels?.['nvidia.com/gpu.count'], '8');
    assert.equal(node.metadata.labels?.['gpu.type'], 'fake');
    assert.match(node.metadata.labels?.['nvidia.com/gpu.product'] ?? '', /^FAKE-/);
    assert.equal(simulatedNode('sim-1', 1, shape).status?.capacity?.['nvidia.com/gpu'], undefined, 'no GPUs unless asked');
  });

  test('--gpus is a positive whole number', async () => {
    const base = ['--server', 'http://127.0.0.1:1', '--token', 't', '--nodes', '2'];
    assert.equal((await simConfigFromArgs([...base, '--gpus', '8'], {}))?.gpus, 8);
    await assert.rejects(simConfigFromArgs([...base, '--gpus', 'two'], {}), /--gpus: "two" is not a positive whole number/);
  });
});
