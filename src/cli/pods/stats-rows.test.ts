import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerUsage } from '../../api/node-services.js';
import { statsRows, cpuPercent, dockerBytes } from './stats-rows.js';

const usage = (cpu: number, ts: number, extra: Partial<ContainerUsage> = {}): ContainerUsage => ({
  container: 'web', cpuUsageNanos: cpu, memoryUsageBytes: 3 * 2 ** 20, memoryWorkingSetBytes: 2 * 2 ** 20, pids: 4, timestamp: ts, ...extra,
});

test('CPU % is CPU time over wall time between two samples (100% = one core)', () => {
  assert.equal(cpuPercent(usage(0, 1000), usage(500_000_000, 2000)), 50);
  assert.equal(cpuPercent(usage(0, 1000), usage(2_000_000_000, 2000)), 200);
  assert.equal(cpuPercent(undefined, usage(5, 2000)), 0);
});

test('rows: memory against the limit, or the node memory when unlimited', () => {
  const prev = new Map([['k', usage(0, 1000)]]);
  const [limited] = statsRows([{ key: 'k', id: 'abc', name: 'web', usage: usage(250_000_000, 2000, { memoryLimitBytes: 64 * 2 ** 20 }) }], prev);
  assert.deepEqual(limited, { id: 'abc', name: 'web', cpu: '25.00%', mem: '2MiB / 64MiB', memPercent: '3.13%', pids: '4' });
  const [unlimited] = statsRows([{ key: 'k', id: 'abc', name: 'web', usage: usage(0, 2000), limitFallback: 8 * 2 ** 30 }], new Map());
  assert.equal(unlimited!.mem, '2MiB / 8GiB');
  assert.equal(dockerBytes(1.5 * 2 ** 20), '1.5MiB');
  assert.equal(dockerBytes(1_597_000), '1.523MiB');
});
