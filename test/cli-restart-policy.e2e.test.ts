import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer } from './harness/lanternd.js';
import { getPod, waitContainer } from './harness/pods.js';
import { Cli, rowNamed } from './harness/cli.js';

// The harness runs lanternd with --restart-backoff 500 (ms), so crash loops turn over quickly.
describe('lcctl run --restart: no, on-failure:N and always', () => {
  const server = new TestServer();
  const cli = new Cli(server);
  before(async () => { await server.start(); await cli.importBusybox(); });
  after(async () => { await server.stop(); });

  test('on-failure:2 restarts a failing container exactly twice, then leaves it Exited', async () => {
    await cli.ok(['run', '-d', '--name', 'twice', '--restart', 'on-failure:2', 'busybox', 'sh', '-c', 'echo attempt; exit 1']);
    const pod = await waitContainer(server, 'twice', 'given up', (cs, p) => cs.state.terminated !== undefined && (p.status?.phase === 'Failed' || cs.restartCount > 2));
    const cs = pod.status?.containerStatuses?.[0];
    assert.equal(cs?.restartCount, 2);
    assert.equal(cs?.state.terminated?.exitCode, 1);
    assert.equal(pod.status?.phase, 'Failed');
    assert.match(rowNamed(await cli.ok(['ps', '-a']), 'twice') ?? '', /Exited \(1\)/);
    assert.match(await cli.ok(['get', 'pods', 'twice', '--no-headers']), /^twice\s+0\/1\s+Error\s+2\b/);
  });

  test('on-failure does not restart a container that exits 0', async () => {
    await cli.ok(['run', '-d', '--name', 'fine', '--restart', 'on-failure:2', 'busybox', 'true']);
    const pod = await waitContainer(server, 'fine', 'completed', (cs, p) => cs.state.terminated !== undefined && p.status?.phase === 'Succeeded');
    assert.equal(pod.status?.containerStatuses?.[0]?.restartCount, 0);
  });

  test('always keeps restarting a crashing container: CrashLoopBackOff and a growing restart count; no stays exited', async () => {
    await cli.ok(['run', '-d', '--name', 'never', '--restart', 'no', 'busybox', 'sh', '-c', 'exit 1']);
    await cli.ok(['run', '-d', '--name', 'crashy', '--restart', 'always', 'busybox', 'sh', '-c', 'echo up; exit 1']);
    let sawBackOff = '';
    const seen = new Set<number>();
    await server.until('crashy restarted 3 times and showed CrashLoopBackOff', async () => {
      const ps = rowNamed(await cli.ok(['ps', '-a']), 'crashy') ?? '';
      const get = await cli.ok(['get', 'pods', 'crashy', '--no-headers']);
      if (/CrashLoopBackOff/.test(ps)) sawBackOff ||= `ps -a: ${ps}`;
      if (/\sCrashLoopBackOff\s/.test(get)) sawBackOff ||= `get pods: ${get}`;
      const n = (await getPod(server, 'crashy'))?.status?.containerStatuses?.[0]?.restartCount ?? 0;
      seen.add(n);
      return sawBackOff !== '' && n >= 3;
    }, 60_000);
    assert.ok(sawBackOff);
    assert.ok([...seen].length >= 2, `the restart count grew: ${[...seen].join(', ')}`);
    const restarts = Number((await cli.ok(['get', 'pods', 'crashy', '--no-headers'])).split(/\s+/)[3]);
    assert.ok(restarts >= 3, `get pods RESTARTS column: ${restarts}`);

    // Meanwhile (three crash-loop turns later) the --restart no container is still exited, never restarted.
    const never = (await getPod(server, 'never'))?.status?.containerStatuses?.[0];
    assert.equal(never?.restartCount, 0);
    assert.equal(never?.state.terminated?.exitCode, 1);
    assert.match(rowNamed(await cli.ok(['ps', '-a']), 'never') ?? '', /Exited \(1\)/);
  });

  test('stop ends a crash loop and the container stays down', async () => {
    await cli.ok(['stop', '-t', '1', 'crashy']);
    const after1 = (await getPod(server, 'crashy'))?.status?.containerStatuses?.[0]?.restartCount ?? -1;
    // Use another crash loop as the clock: let it turn over twice.
    await cli.ok(['run', '-d', '--name', 'clock', '--restart', 'always', 'busybox', 'sh', '-c', 'exit 2']);
    await waitContainer(server, 'clock', 'restarted twice', (cs) => cs.restartCount >= 2, 60_000);
    const cs = (await getPod(server, 'crashy'))?.status?.containerStatuses?.[0];
    assert.equal(cs?.restartCount, after1, 'no restart after stop');
    assert.equal(cs?.state.running, undefined);
    assert.match(rowNamed(await cli.ok(['ps', '-a']), 'crashy') ?? '', /Exited/);
  });
});
