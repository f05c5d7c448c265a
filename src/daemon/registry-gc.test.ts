import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scheduleRegistryGc } from './registry-gc.js';
import type { RegistryGcOptions } from '../registry/index.js';

test('the server collects registry garbage on its interval with an hour of grace, and says what it deleted', async () => {
  const calls: RegistryGcOptions[] = [];
  const lines: string[] = [];
  let answer = { deletedBlobs: 3, reclaimedBytes: 12_500_000, unlinked: 3 };
  let collected: () => void = () => undefined;
  const twice = new Promise<void>((resolve) => { collected = () => { if (calls.length >= 2) resolve(); }; });
  // The schedule's timers do not hold a process open (unref): hold this one open while it runs.
  const alive = setInterval(() => undefined, 1000);
  const stop = scheduleRegistryGc(async (opts) => {
    calls.push(opts);
    const r = answer;
    answer = { deletedBlobs: 0, reclaimedBytes: 0, unlinked: 0 };
    setImmediate(collected);
    return r;
  }, 20, (m) => lines.push(m));
  await twice;
  stop();
  clearInterval(alive);
  assert.equal(calls[0]?.graceMs, 3_600_000);
  assert.deepEqual(lines, ['registry: deleted 3 unreferenced blobs (12.5 MB)'], 'a pass that deletes nothing logs nothing');
});
