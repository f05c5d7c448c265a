import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ContainerConfig } from '../types.js';
import { isCgroupV2 } from './cgroups.js';
import { readCriLog } from '../cri-log.js';
import { makeTestEnv, waitFor, waitStopped, type TestEnv } from './testing.js';

const MiB = 1024 * 1024;

describe('RuncRuntime resource limits (real cgroups)', () => {
  let env: TestEnv;
  before(async () => { env = await makeTestEnv('limits'); });
  after(async () => { await env.cleanup(); });

  async function runToEnd(c: ContainerConfig): Promise<{ exitCode?: number; oomKilled?: boolean; out: string[] }> {
    await env.runtime.create(c);
    await env.runtime.start(c.id);
    const info = await waitStopped(env.runtime, c.id);
    const out = (await readCriLog(info.logPath)).map((l) => l.text);
    const r: { exitCode?: number; oomKilled?: boolean; out: string[] } = { out };
    if (info.exitCode !== undefined) r.exitCode = info.exitCode;
    if (info.oomKilled !== undefined) r.oomKilled = info.oomKilled;
    return r;
  }

  test('a process growing past the memory limit is OOM-killed: exit 137, oomKilled true', async () => {
    // Command substitution keeps all 64 MiB in the shell's heap: real RSS, not page cache.
    const r = await runToEnd(env.config({
      args: ['sh', '-c', 'x=$(head -c 64m /dev/zero | tr "\\0" a); echo survived ${#x}'],
      resources: { memoryBytes: 16 * MiB },
    }));
    assert.equal(r.exitCode, 137);
    assert.equal(r.oomKilled, true);
    assert.ok(!r.out.some((l) => l.startsWith('survived')));
  });

  test('an exit 137 from a plain SIGKILL is not reported as OOM', async () => {
    const c = env.config({ args: ['sleep', '1000'], resources: { memoryBytes: 64 * MiB } });
    await env.runtime.create(c);
    await env.runtime.start(c.id);
    await env.runtime.stop(c.id, 0);
    const info = await env.runtime.inspect(c.id);
    assert.equal(info?.exitCode, 137);
    assert.equal(info?.oomKilled, false);
  });

  test('the container sees its memory limit and CPU quota in its cgroup files', async () => {
    const files = isCgroupV2()
      ? 'cat /sys/fs/cgroup/memory.max; cat /sys/fs/cgroup/cpu.max'
      : 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us';
    const r = await runToEnd(env.config({
      args: ['sh', '-c', files], resources: { memoryBytes: 48 * MiB, cpuQuota: 50000, cpuPeriod: 100000, cpuShares: 512 },
    }));
    assert.equal(r.exitCode, 0);
    const expected = isCgroupV2() ? [String(48 * MiB), '50000 100000'] : [String(48 * MiB), '50000', '100000'];
    assert.deepEqual(r.out, expected);
  });

  test('the pids limit stops a fork loop: the cgroup never holds more tasks than the limit', async () => {
    const c = env.config({
      // The inner shell dies at the first failed fork; the outer one then just waits.
      args: ['sh', '-c', 'sh -c "for i in \\$(seq 1 40); do sleep 1000 & done"; echo spawned; exec sleep 1000'],
      resources: { pidsLimit: 10 },
    });
    await env.runtime.create(c);
    await env.runtime.start(c.id);
    const log = join(env.stateDir, 'containers', c.id, 'ctr.log');
    await waitFor(async () => (await readCriLog(log)).some((l) => l.text === 'spawned'), 'the fork loop to end');
    const lines = (await readCriLog(log)).map((l) => l.text);
    assert.ok(lines.some((l) => /can't fork/.test(l)), lines.join('\n'));
    const stats = await env.runtime.stats(c.id);
    assert.ok(stats);
    assert.ok(stats.pids <= 10 && stats.pids >= 2, `pids.current = ${stats.pids}`);
    await env.runtime.remove(c.id);
  });

  test('stats reads CPU, memory and limit from the cgroup of a running container', async () => {
    const c = env.config({ args: ['sh', '-c', 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; echo busy-done; exec sleep 1000'],
      resources: { memoryBytes: 64 * MiB } });
    await env.runtime.create(c);
    await env.runtime.start(c.id);
    const log = join(env.stateDir, 'containers', c.id, 'ctr.log');
    await waitFor(async () => (await readCriLog(log)).some((l) => l.text === 'busy-done'), 'the busy loop');
    const s = await env.runtime.stats(c.id);
    assert.ok(s);
    assert.equal(s.memoryLimitBytes, 64 * MiB);
    assert.ok(s.cpuUsageNanos > 0);
    assert.ok(s.memoryUsageBytes > 0 && s.memoryWorkingSetBytes <= s.memoryUsageBytes);
    assert.equal(s.pids, 1);
    const unlimited = env.config({ args: ['sleep', '1000'] });
    await env.runtime.create(unlimited);
    await env.runtime.start(unlimited.id);
    assert.equal((await env.runtime.stats(unlimited.id))?.memoryLimitBytes, undefined);
    await env.runtime.stop(c.id, 0);
    assert.equal(await env.runtime.stats(c.id), undefined);
  });
});
