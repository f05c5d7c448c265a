import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gpuSharingFromFlags } from './gpu-sharing-flags.js';

describe('--gpu-sharing / --gpu-time-slicing', () => {
  test('defaults, time-slicing replicas and mps', () => {
    assert.deepEqual(gpuSharingFromFlags({}), { mode: 'none', replicas: 1 });
    assert.deepEqual(gpuSharingFromFlags({ 'gpu-time-slicing': '4' }), { mode: 'time-slicing', replicas: 4 });
    assert.deepEqual(gpuSharingFromFlags({ 'gpu-sharing': 'time-slicing' }), { mode: 'time-slicing', replicas: 2 });
    assert.deepEqual(gpuSharingFromFlags({ 'gpu-sharing': 'mps' }), { mode: 'mps', replicas: 1 });
  });
  test('bad values are refused by flag name', () => {
    assert.throws(() => gpuSharingFromFlags({ 'gpu-sharing': 'mig' }), /--gpu-sharing: "mig"/);
    assert.throws(() => gpuSharingFromFlags({ 'gpu-time-slicing': '0' }), /--gpu-time-slicing: expected/);
    assert.throws(() => gpuSharingFromFlags({ 'gpu-sharing': 'mps', 'gpu-time-slicing': '2' }), /needs --gpu-sharing time-slicing/);
  });
});
