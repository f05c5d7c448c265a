import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadRange, saveRange } from './pod-range.js';

test('the pod range is kept 0600 and read back; a missing or foreign file is no range', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'h3-range-'));
  try {
    const file = path.join(dir, 'offline/pod-range.json');
    assert.equal(await loadRange(file), undefined);
    await saveRange(file, { podCIDR: '10.42.3.0/24', mtu: 1450, clusterCidr: '10.42.0.0/16' }, () => undefined);
    assert.deepEqual(await loadRange(file), { podCIDR: '10.42.3.0/24', mtu: 1450, clusterCidr: '10.42.0.0/16' });
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    await writeFile(file, '{"podCIDR": 5}');
    assert.equal(await loadRange(file), undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
