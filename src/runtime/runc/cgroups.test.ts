import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCgroupStatsAt } from './cgroups.js';

// Fixture trees with the files the kernel writes, so both hierarchies are checked on any host.
describe('cgroup stats readers on fixture trees', () => {
  let dir: string;
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'lantern-cgroups-')); });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  const files = async (at: string, content: Record<string, string>): Promise<string> => {
    await mkdir(at, { recursive: true });
    for (const [name, text] of Object.entries(content)) await writeFile(join(at, name), text);
    return at;
  };

  test('cgroup v1: cpuacct.usage in ns, usage_in_bytes minus total_inactive_file, limit_in_bytes', async () => {
    const cpu = await files(join(dir, 'v1/cpu,cpuacct/lantern/c1'), { 'cpuacct.usage': '2500000000\n' });
    const memory = await files(join(dir, 'v1/memory/lantern/c1'), {
      'memory.usage_in_bytes': '10485760\n',
      'memory.limit_in_bytes': '67108864\n',
      'memory.stat': 'cache 4096\nrss 8388608\ninactive_file 1\ntotal_inactive_file 2097152\n',
    });
    const pids = await files(join(dir, 'v1/pids/lantern/c1'), { 'pids.current': '3\n' });
    assert.deepEqual(await readCgroupStatsAt({ version: 1, cpu, memory, pids }), {
      cpuUsageNanos: 2_500_000_000, memoryUsageBytes: 10_485_760, memoryWorkingSetBytes: 8_388_608, memoryLimitBytes: 67_108_864, pids: 3,
    });
  });

  test('cgroup v1: the "unlimited" limit (9223372036854771712) means no limit', async () => {
    const memory = await files(join(dir, 'v1u/memory'), { 'memory.usage_in_bytes': '100\n', 'memory.limit_in_bytes': '9223372036854771712\n', 'memory.stat': '' });
    const s = await readCgroupStatsAt({ version: 1, cpu: join(dir, 'v1u/none'), memory, pids: join(dir, 'v1u/none') });
    assert.equal(s?.memoryLimitBytes, undefined);
    assert.equal(s?.cpuUsageNanos, 0);
  });

  test('cgroup v2: cpu.stat usage_usec, memory.current minus inactive_file, memory.max', async () => {
    const one = await files(join(dir, 'v2/lantern/c2'), {
      'cpu.stat': 'usage_usec 1500000\nuser_usec 1000000\nsystem_usec 500000\n',
      'memory.current': '5242880\n',
      'memory.max': '33554432\n',
      'memory.stat': 'anon 3145728\nfile 2097152\ninactive_file 1048576\nactive_file 1048576\n',
      'pids.current': '2\n',
    });
    assert.deepEqual(await readCgroupStatsAt({ version: 2, cpu: one, memory: one, pids: one }), {
      cpuUsageNanos: 1_500_000_000, memoryUsageBytes: 5_242_880, memoryWorkingSetBytes: 4_194_304, memoryLimitBytes: 33_554_432, pids: 2,
    });
  });

  test('cgroup v2: memory.max "max" means no limit; a gone cgroup reads as undefined', async () => {
    const one = await files(join(dir, 'v2max'), { 'cpu.stat': 'usage_usec 7\n', 'memory.current': '4096\n', 'memory.max': 'max\n', 'memory.stat': 'inactive_file 8192\n' });
    const s = await readCgroupStatsAt({ version: 2, cpu: one, memory: one, pids: one });
    assert.equal(s?.memoryLimitBytes, undefined);
    assert.equal(s?.memoryWorkingSetBytes, 0, 'the working set never goes below zero');
    assert.equal(await readCgroupStatsAt({ version: 2, cpu: join(dir, 'gone'), memory: join(dir, 'gone'), pids: join(dir, 'gone') }), undefined);
  });
});
