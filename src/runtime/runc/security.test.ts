import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerConfig } from '../types.js';
import { capabilityMask, hostCapabilities, resolveCapabilities } from './capabilities.js';
import { readCriLog } from './cri-log.js';
import { makeTestEnv, waitStopped, type TestEnv } from './testing.js';

describe('RuncRuntime isolation (real runc)', () => {
  let env: TestEnv;
  before(async () => { env = await makeTestEnv('sec'); });
  after(async () => { await env.cleanup(); });

  async function run(c: ContainerConfig): Promise<{ exitCode?: number; out: string[]; err: string[] }> {
    await env.runtime.create(c);
    await env.runtime.start(c.id);
    const info = await waitStopped(env.runtime, c.id);
    const lines = await readCriLog(info.logPath);
    const r: { exitCode?: number; out: string[]; err: string[] } = {
      out: lines.filter((l) => l.stream === 'stdout').map((l) => l.text),
      err: lines.filter((l) => l.stream === 'stderr').map((l) => l.text),
    };
    if (info.exitCode !== undefined) r.exitCode = info.exitCode;
    return r;
  }
  const capLine = (out: string[], name: string): string | undefined =>
    out.find((l) => l.startsWith(`${name}:`))?.split('\t')[1];

  test("the default capabilities are Docker's: CapEff 00000000a80425fb; add and drop change them", async () => {
    const def = await run(env.config({ args: ['grep', 'Cap', '/proc/self/status'] }));
    assert.equal(capLine(def.out, 'CapEff'), '00000000a80425fb');
    assert.equal(capLine(def.out, 'CapBnd'), '00000000a80425fb');
    assert.equal(capLine(def.out, 'CapInh'), '0000000000000000');
    const tuned = await run(env.config({ args: ['grep', 'Cap', '/proc/self/status'], capabilities: { add: ['NET_ADMIN'], drop: ['CAP_NET_RAW'] } }));
    assert.equal(capLine(tuned.out, 'CapEff'), capabilityMask(resolveCapabilities({ add: ['NET_ADMIN'], drop: ['NET_RAW'] })));
    const none = await run(env.config({ args: ['grep', 'Cap', '/proc/self/status'], capabilities: { drop: ['ALL'] } }));
    assert.equal(capLine(none.out, 'CapEff'), '0000000000000000');
  });

  test('seccomp refuses unshare (EPERM) by default; unconfined allows it', async () => {
    const blocked = await run(env.config({ args: ['sh', '-c', 'grep Seccomp: /proc/self/status; unshare -U true'] }));
    assert.notEqual(blocked.exitCode, 0);
    assert.deepEqual(blocked.out, ['Seccomp:\t2']);
    assert.match(blocked.err.join('\n'), /Operation not permitted/);
    const open = await run(env.config({ args: ['unshare', '-U', 'true'], seccomp: 'unconfined' }));
    assert.equal(open.exitCode, 0, open.err.join('\n'));
  });

  test('privileged: every capability the host has, no seccomp, nothing masked', async () => {
    const r = await run(env.config({ args: ['sh', '-c', 'grep -E "CapEff|Seccomp:" /proc/self/status; wc -c < /proc/keys'], privileged: true }));
    const host = hostCapabilities(await readFile('/proc/self/status', 'utf8'));
    assert.equal(capLine(r.out, 'CapEff'), capabilityMask(host));
    assert.equal(capLine(r.out, 'Seccomp'), '0');
  });

  test("Docker's masked and read-only /proc paths", async () => {
    // On the host /proc/timer_list has kilobytes and /sys/firmware has entries.
    const script = 'wc -c < /proc/timer_list; ls /sys/firmware | wc -l; echo 1 > /proc/sys/vm/drop_caches || echo ro-proc-sys';
    const r = await run(env.config({ args: ['sh', '-c', script] }));
    assert.deepEqual(r.out, ['0', '0', 'ro-proc-sys']);
  });

  test('a read-only rootfs refuses writes', async () => {
    const r = await run(env.config({ args: ['touch', '/newfile'], readOnlyRootfs: true }));
    assert.notEqual(r.exitCode, 0);
    assert.match(r.err.join('\n'), /Read-only file system/);
    const rw = await run(env.config({ args: ['touch', '/newfile'] }));
    assert.equal(rw.exitCode, 0);
  });

  test('a read-only bind mount refuses writes; a read-write one writes through to the host', async () => {
    const host = join(env.dir, 'bind');
    await mkdir(host, { recursive: true });
    await writeFile(join(host, 'in.txt'), 'from host\n');
    const ro = await run(env.config({
      args: ['sh', '-c', 'cat /mnt/in.txt; echo x > /mnt/out.txt'],
      mounts: [{ destination: '/mnt', source: host, type: 'bind', readOnly: true }],
    }));
    assert.equal(ro.out[0], 'from host');
    assert.notEqual(ro.exitCode, 0);
    assert.match(ro.err.join('\n'), /Read-only file system/);
    const rw = await run(env.config({
      args: ['sh', '-c', 'echo written > /mnt/out.txt'], mounts: [{ destination: '/mnt', source: host, type: 'bind' }],
    }));
    assert.equal(rw.exitCode, 0);
    assert.equal(await readFile(join(host, 'out.txt'), 'utf8'), 'written\n');
  });

  test('the user, hostname, /etc files and NOFILE limit are set', async () => {
    const r = await run(env.config({
      args: ['sh', '-c', 'id -u; id -G; hostname; cat /etc/hostname; grep box /etc/hosts; ulimit -n; test -s /etc/resolv.conf && echo resolv'],
      user: { uid: 1000, gid: 1000, additionalGids: [5] }, hostname: 'box', netns: 'host',
      extraHosts: [{ ip: '10.1.2.3', names: ['box'] }],
    }));
    assert.deepEqual(r.out, ['1000', '1000 5', 'box', 'box', '10.1.2.3\tbox', '1024', 'resolv']);
  });
});
