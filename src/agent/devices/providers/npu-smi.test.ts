import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ascendResource, parseNpuSmi } from './npu-smi.js';
import { recordedNpuSmi } from '../../../testing/fake-gpu/recorded.js';

test('npu-smi info: each NPU with health, power, temperature and HBM', () => {
  const npus = parseNpuSmi(recordedNpuSmi);
  assert.deepEqual(npus, [
    { id: 0, name: '910B3', health: 'OK', powerWatts: 93.6, temperatureC: 40, busId: '0000:C1:00.0', aicore: 0, hbmUsedMiB: 3161, hbmTotalMiB: 65536 },
    { id: 1, name: '910B3', health: 'Alarm', powerWatts: 91.2, temperatureC: 41, busId: '0000:C2:00.0', aicore: 12, hbmUsedMiB: 20480, hbmTotalMiB: 65536 },
  ]);
});

test('the Ascend device plugin resource names', () => {
  assert.equal(ascendResource('910B3'), 'huawei.com/Ascend910');
  assert.equal(ascendResource('310P3'), 'huawei.com/Ascend310P');
  assert.equal(ascendResource('310'), 'huawei.com/Ascend310');
});
