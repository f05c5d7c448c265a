import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer } from './harness/lanternd.js';
import { waitContainer } from './harness/pods.js';
import { Cli, rowNamed } from './harness/cli.js';

interface Usage { container: string; cpuUsageNanos: number; memoryLimitBytes?: number; pids?: number; timestamp: number }

describe('lcctl run: memory, CPU and PID limits are enforced', () => {
  const server = new TestServer();
  const cli = new Cli(server);
  before(async () => { await server.start(); await cli.importBusybox(); });
  after(async () => { await server.stop(); });

  const usage = async (name: string): Promise<Usage> => {
    const r = await server.api<{ containers: Usage[] }>('GET', `/api/v1/namespaces/default/pods/${name}/stats`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const u = r.body.containers[0];
    assert.ok(u, `stats of ${name}: ${JSON.stringify(r.body)}`);
    return u;
  };

  test('--memory 16m: a process that needs more is OOM-killed (exit 137, reason OOMKilled)', async () => {
    const r = await cli.expect(137, ['run', '--name', 'oom', '--memory', '16m', 'busybox', 'sh', '-c', 'x=$(head -c 64m /dev/zero | tr "\\0" a); echo survived']);
    assert.doesNotMatch(r.stdout, /survived/);
    const json = JSON.parse(await cli.ok(['get', 'pod', 'oom', '-o', 'json'])) as { status: { containerStatuses: { state: { terminated?: { exitCode: number; reason?: string } } }[] } };
    const t = json.status.containerStatuses[0]?.state.terminated;
    assert.equal(t?.exitCode, 137);
    assert.equal(t?.reason, 'OOMKilled');
    assert.match(await cli.ok(['get', 'pods', 'oom']), /^oom\s+0\/1\s+OOMKilled\s/m);
  });

  test('--memory within the limit lets the same work finish', async () => {
    const r = await cli.expect(0, ['run', '--rm', '--memory', '256m', 'busybox', 'sh', '-c', 'x=$(head -c 8m /dev/zero | tr "\\0" a); echo ${#x}']);
    assert.equal(r.stdout, `${8 * 1024 * 1024}\n`);
  });

  test('--cpus 0.5 caps a busy loop near half a core', async () => {
    await cli.ok(['run', '-d', '--name', 'spin', '--cpus', '0.5', 'busybox', 'sh', '-c', 'while :; do :; done']);
    await waitContainer(server, 'spin', 'running', (cs) => cs.state.running !== undefined);
    const a = await usage('spin');
    // Sample over at least a second of the stats' own clock (several CFS periods of 100 ms).
    const b = await server.until('a second sample over a second later', async () => {
      const u = await usage('spin');
      return u.timestamp - a.timestamp >= 1500 ? u : undefined;
    });
    const cores = (b.cpuUsageNanos - a.cpuUsageNanos) / ((b.timestamp - a.timestamp) * 1e6);
    assert.ok(cores <= 0.65, `CPU use ${cores.toFixed(3)} cores is capped near 0.5`);
    assert.ok(cores >= 0.1, `CPU use ${cores.toFixed(3)} cores: the loop does run`);

    const table = await cli.ok(['stats', '--no-stream', 'spin']);
    assert.match(table.split('\n')[0] ?? '', /^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+PIDS$/);
    const row = rowNamed(table, 'spin') ?? table.split('\n')[1] ?? '';
    const pct = Number(/(\d+(?:\.\d+)?)%/.exec(row)?.[1]);
    assert.ok(pct <= 65 && pct >= 10, `stats shows CPU % near 50: ${row}`);
    await cli.ok(['rm', '-f', 'spin']);
  });

  test('--pids-limit 10 stops a fork bomb', async () => {
    const r = await cli.run(['run', '--name', 'forks', '--pids-limit', '10', 'busybox', 'sh', '-c', 'for i in $(seq 1 30); do sleep 30 & done; echo all-started']);
    assert.notEqual(r.code, 0, 'the shell fails to fork');
    assert.match(r.stderr, /can't fork|Resource temporarily unavailable/);
    assert.doesNotMatch(r.stdout, /all-started/);
    const max = await cli.expect(0, ['run', '--rm', '--pids-limit', '10', 'busybox', 'cat', '/sys/fs/cgroup/pids/pids.max']);
    assert.equal(max.stdout, '10\n', "the container's pids cgroup allows 10");
  });
});
