import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gpuType, parseGpuQuery, parseTopology, topologyGroups } from './nvidia-smi.js';
import { recordedErrorRow, recordedQuery, recordedTopology } from '../../../testing/fake-gpu/recorded.js';

describe('nvidia-smi --query-gpu', () => {
  test('reads each GPU of a recorded 4x A100 box, MIG mode and [N/A] included', () => {
    const { gpus, problems } = parseGpuQuery(recordedQuery.a100x4);
    assert.deepEqual(problems, []);
    assert.equal(gpus.length, 4);
    assert.deepEqual(gpus[1], {
      index: 1, uuid: 'GPU-4f1c2a5e-9b7d-4c2e-8a11-0c6a5d0e1a02', name: 'NVIDIA A100-SXM4-80GB', memoryMiB: 81920, migEnabled: false,
      utilization: 37, memoryUsedMiB: 20817, powerWatts: 212.47, temperatureC: 47,
    });
    assert.equal(gpus[3]?.migEnabled, true);
    assert.equal(gpus[3]?.utilization, undefined, 'MIG GPUs report utilization as [N/A]');
    assert.equal(gpus.some((g) => g.error), false);
  });

  test('an error row marks that GPU, and a "device handle" line is kept as a problem', () => {
    const rows = recordedQuery.a100x4.trim().split('\n');
    rows[2] = recordedErrorRow(2, 'GPU-x', 'NVIDIA A100-SXM4-80GB');
    rows.push('Unable to determine the device handle for GPU0000:0B:00.0: Unknown Error');
    const { gpus, problems } = parseGpuQuery(rows.join('\n'));
    assert.equal(gpus.find((g) => g.index === 2)?.error, '[Unknown Error]');
    assert.equal(gpus.find((g) => g.index === 1)?.error, undefined);
    assert.deepEqual(problems, ['Unable to determine the device handle for GPU0000:0B:00.0: Unknown Error']);
  });
});

describe('nvidia-smi topo -m', () => {
  test('two NVLink pairs on two sockets make two groups', () => {
    const topo = parseTopology(recordedTopology.a100x4);
    assert.deepEqual(topo.gpus, [0, 1, 2, 3]);
    assert.deepEqual(topo.links.get(0)?.get(1), { link: 'NV', nvlinks: 12 });
    assert.equal(topo.links.get(0)?.get(2)?.link, 'SYS');
    assert.deepEqual([...topologyGroups(topo)], [[0, 'nvlink-0'], [1, 'nvlink-0'], [2, 'nvlink-2'], [3, 'nvlink-2']]);
  });

  test('an HGX H100 board (all NV18) is one group', () => {
    const groups = topologyGroups(parseTopology(recordedTopology.h100x8));
    assert.equal(groups.size, 8);
    assert.deepEqual(new Set(groups.values()), new Set(['nvlink-0']));
  });

  test('GPUs behind one PCIe switch group as pcie; lone GPUs get none', () => {
    const text = '\tGPU0\tGPU1\tGPU2\tCPU Affinity\nGPU0\t X \tPIX\tSYS\t0-7\nGPU1\tPIX\t X \tSYS\t0-7\nGPU2\tSYS\tSYS\t X \t8-15\n';
    assert.deepEqual([...topologyGroups(parseTopology(text))], [[0, 'pcie-0'], [1, 'pcie-0']]);
  });
});

test('gpu.type is the short model name the seeds select on', () => {
  assert.equal(gpuType('NVIDIA A100-SXM4-80GB'), 'a100');
  assert.equal(gpuType('Tesla V100-SXM2-16GB'), 'v100');
  assert.equal(gpuType('NVIDIA H100 80GB HBM3'), 'h100');
  assert.equal(gpuType('Tesla T4'), 't4');
  assert.equal(gpuType('NVIDIA L40S'), 'l40s');
  assert.equal(gpuType('NVIDIA GeForce RTX 4090'), 'rtx4090');
});
