import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseMeminfo, parseProcStat, readNodeUsage } from './node-usage.js';

describe('node usage from /proc', () => {
  test('/proc/stat: busy seconds leave out idle and iowait, and count guest time once', () => {
    const stat = 'cpu  1000 50 300 90000 200 10 40 0 500 0\ncpu0 500 25 150 45000 100 5 20 0 250 0\nintr 1 2 3\n';
    assert.equal(parseProcStat(stat), (1000 + 50 + 300 + 10 + 40) / 100);
    assert.equal(parseProcStat('nothing here'), 0);
  });

  test('/proc/meminfo: used is MemTotal minus MemAvailable, in bytes', () => {
    const info = 'MemTotal:        4000000 kB\nMemFree:          100000 kB\nMemAvailable:    1000000 kB\nBuffers: 1 kB\n';
    assert.deepEqual(parseMeminfo(info), { total: 4_000_000 * 1024, used: 3_000_000 * 1024 });
    assert.equal(parseMeminfo('MemTotal: 1 kB\n'), undefined);
  });

  test('this machine reads as plausible numbers', async () => {
    const u = await readNodeUsage();
    assert.ok(u.cores >= 1 && u.memoryBytes > 0 && u.cpuSeconds > 0);
    assert.ok(u.memoryWorkingSetBytes > 0 && u.memoryWorkingSetBytes <= u.memoryBytes);
  });
});
