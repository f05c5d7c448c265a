import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readCriLog } from '../cri-log.js';
import { conmonPid } from './status.js';
import { ContainerDir } from './container-dir.js';
import { makeTestEnv, waitFor, waitStopped, type TestEnv } from './testing.js';

describe('RuncRuntime lifecycle (real runc + conmon)', () => {
  let env: TestEnv;
  before(async () => { env = await makeTestEnv('life'); });
  after(async () => { await env.cleanup(); });

  test('runs echo hi: created, then stopped with exit 0 and the line in the CRI log', async () => {
    const c = env.config({ args: ['echo', 'hi'], labels: { pod: 'p1' } });
    const created = await env.runtime.create(c);
    assert.equal(created.status, 'created');
    assert.deepEqual(created.labels, { pod: 'p1' });
    await env.runtime.start(c.id);
    const info = await waitStopped(env.runtime, c.id);
    assert.equal(info.exitCode, 0);
    assert.equal(info.oomKilled, false);
    assert.ok(info.startedAt && info.finishedAt);
    const lines = await readCriLog(info.logPath);
    assert.deepEqual(lines.map((l) => [l.stream, l.text]), [['stdout', 'hi']]);
  });

  test('a non-zero exit code propagates, stderr is logged as stderr', async () => {
    const c = env.config({ args: ['sh', '-c', 'echo oops >&2; exit 3'] });
    await env.runtime.create(c);
    await env.runtime.start(c.id);
    const info = await waitStopped(env.runtime, c.id);
    assert.equal(info.exitCode, 3);
    assert.deepEqual((await readCriLog(info.logPath)).map((l) => [l.stream, l.text]), [['stderr', 'oops']]);
  });

  test('a command that does not exist fails create with an error naming it, and leaves nothing behind', async () => {
    const c = env.config({ args: ['no-such-binary'] });
    await assert.rejects(env.runtime.create(c), /no-such-binary/);
    assert.equal(await env.runtime.inspect(c.id), undefined);
  });

  test('stop sends the stop signal first and SIGKILL after the grace period', async () => {
    const c = env.config({ args: ['sh', '-c', 'trap "echo got TERM" TERM; echo ready; while true; do sleep 0.2; done'] });
    await env.runtime.create(c);
    await env.runtime.start(c.id);
    const log = join(env.stateDir, 'containers', c.id, 'ctr.log');
    await waitFor(async () => (await readCriLog(log)).some((l) => l.text === 'ready'), 'the trap to be installed');
    await env.runtime.stop(c.id, 2);
    const info = await env.runtime.inspect(c.id);
    assert.equal(info?.status, 'stopped');
    assert.equal(info?.exitCode, 137);
    assert.ok((await readCriLog(log)).some((l) => l.text === 'got TERM'), 'TERM reached the trap before KILL');
  });

  test('a process that exits on the stop signal keeps its own exit code', async () => {
    const c = env.config({ args: ['sh', '-c', 'trap "exit 0" USR1; echo ready; while true; do sleep 0.2; done'], stopSignal: 'SIGUSR1' });
    await env.runtime.create(c);
    await env.runtime.start(c.id);
    const log = join(env.stateDir, 'containers', c.id, 'ctr.log');
    await waitFor(async () => (await readCriLog(log)).some((l) => l.text === 'ready'), 'the trap to be installed');
    await env.runtime.stop(c.id, 60);
    assert.equal((await env.runtime.inspect(c.id))?.exitCode, 0);
  });

  test('a created container that is never started can be stopped and removed', async () => {
    const c = env.config({ args: ['sleep', '1000'] });
    await env.runtime.create(c);
    await env.runtime.stop(c.id, 5);
    assert.equal((await env.runtime.inspect(c.id))?.status, 'stopped');
    await env.runtime.remove(c.id);
    assert.equal(await env.runtime.inspect(c.id), undefined);
  });

  test('remove deletes the container, its mount and dir, and is safe to repeat', async () => {
    const c = env.config({ args: ['sleep', '1000'] });
    await env.runtime.create(c);
    await env.runtime.start(c.id);
    const dir = new ContainerDir(env.stateDir, c.id);
    await env.runtime.remove(c.id);
    assert.equal(existsSync(dir.dir), false);
    assert.ok(!readFileSync('/proc/self/mountinfo', 'utf8').includes(dir.rootfs));
    await env.runtime.remove(c.id);
    await env.runtime.stop(c.id, 1);
    assert.equal(await env.runtime.inspect(c.id), undefined);
    assert.equal(await env.runtime.stats(c.id), undefined);
    await assert.rejects(env.runtime.start(c.id), /not found/);
  });

  test('containers outlive the process that created them and a new runtime re-adopts them', async () => {
    const flagDir = join(env.dir, 'flags');
    await mkdir(flagDir, { recursive: true });
    const longRunning = env.config({ args: ['sleep', '1000'], labels: { role: 'long' } });
    const exitsLater = env.config({
      args: ['sh', '-c', 'while [ ! -e /flags/go ]; do sleep 0.1; done; exit 7'],
      mounts: [{ destination: '/flags', source: flagDir, type: 'bind' }],
    });
    // A separate "agent" process creates and starts both, then exits.
    const script = `
      const { RuncRuntime } = await import(${JSON.stringify(new URL('./runtime.js', import.meta.url).href)});
      const rt = new RuncRuntime({ stateDir: ${JSON.stringify(env.stateDir)}, cgroupParent: ${JSON.stringify(env.cgroupParent)} });
      for (const c of ${JSON.stringify([longRunning, exitsLater])}) { await rt.create(c); await rt.start(c.id); }`;
    const agent = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(agent.status, 0, agent.stderr);

    // conmon is nobody's child here: it was re-parented when the agent's process tree went away.
    const pid = conmonPid(new ContainerDir(env.stateDir, longRunning.id));
    assert.ok(pid !== undefined);
    const ppid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
    assert.notEqual(ppid, process.pid);

    // The second container exits while no runtime object exists at all.
    await writeFile(join(flagDir, 'go'), '');
    const exitFile = new ContainerDir(env.stateDir, exitsLater.id).conmonExitFile;
    await waitFor(async () => existsSync(exitFile), "conmon's exit file");

    const rt2 = env.reopen();
    const listed = await rt2.list();
    const byId = new Map(listed.map((i) => [i.id, i]));
    assert.equal(byId.get(longRunning.id)?.status, 'running');
    assert.ok((byId.get(longRunning.id)?.pid ?? 0) > 0);
    assert.deepEqual(byId.get(longRunning.id)?.labels, { role: 'long' });
    assert.equal(byId.get(exitsLater.id)?.status, 'stopped');
    assert.equal(byId.get(exitsLater.id)?.exitCode, 7);
    await rt2.stop(longRunning.id, 1);
    assert.equal((await rt2.inspect(longRunning.id))?.exitCode, 137);
  });

  test('a container in its own network namespace sees only its loopback', async () => {
    const ns = `lantern-rt-${process.pid}`;
    execFileSync('ip', ['netns', 'add', ns]);
    try {
      const c = env.config({ args: ['sh', '-c', 'ls /sys/class/net; hostname; cat /etc/hostname'], netns: `/run/netns/${ns}`, hostname: 'web-0' });
      await env.runtime.create(c);
      await env.runtime.start(c.id);
      const info = await waitStopped(env.runtime, c.id);
      assert.equal(info.exitCode, 0);
      assert.deepEqual((await readCriLog(info.logPath)).map((l) => l.text), ['lo', 'web-0', 'web-0']);
      await env.runtime.remove(c.id);
    } finally {
      execFileSync('ip', ['netns', 'delete', ns]);
    }
  });
});
