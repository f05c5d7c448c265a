import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerConfig } from '../types.js';
import { capabilityMask, hostCapabilities, resolveCapabilities } from './capabilities.js';
import { readCriLog } from '../cri-log.js';
import { ApiError } from '../../api/errors.js';
import { probeAppArmor } from './apparmor.js';
import { RuncRuntime } from './runtime.js';
import { DEFAULT_SECCOMP_PROFILE } from './seccomp-default.js';
import { buildSyscallProbe, probeResults } from './syscall-probe.js';
import { makeTestEnv, waitStopped, type TestEnv } from './testing.js';

describe('RuncRuntime isolation (real runc)', () => {
  let env: TestEnv;
  before(async () => {
    env = await makeTestEnv('sec');
    // The layer is the containers' lower dir: the probe is at /bin/syscall-probe in every one of them.
    await copyFile(await buildSyscallProbe(join(env.dir, 'probe')), join(env.layer, 'bin', 'syscall-probe'));
  });
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

  const probeOut = (r: { out: string[] }): Record<string, string> => probeResults(r.out);

  test("the default profile is Docker's allowlist: calls outside it fail with EPERM", async () => {
    const r = await run(env.config({ args: ['sh', '-c', 'grep Seccomp: /proc/self/status; /bin/syscall-probe personality personality-query getpid; unshare -U true 2>&1; true'] }));
    assert.equal(r.out[0], 'Seccomp:\t2');
    const p = probeOut(r);
    // personality(ADDR_NO_RANDOMIZE), what `setarch -R` and gdb do: not one of the values Docker allows.
    assert.equal(p['personality'], 'EPERM', r.out.join('\n'));
    assert.equal(p['personality-query'], 'ok');
    assert.equal(p['getpid'], 'ok');
    assert.match(r.out.find((l) => l.startsWith('unshare')) ?? '', /Operation not permitted/);
    // swapon is on no list, so even CAP_SYS_ADMIN does not allow it (the kernel would say EINVAL).
    const swap = await run(env.config({ args: ['sh', '-c', 'dd if=/dev/zero of=/tmp/swap bs=1k count=64 2>/dev/null; chmod 600 /tmp/swap; swapon /tmp/swap 2>&1; true'],
      capabilities: { add: ['SYS_ADMIN'] } }));
    assert.match(swap.out.join('\n'), /swapon: \/tmp\/swap: Operation not permitted/);
  });

  test('ordinary busybox commands work under the default profile', async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const script = [
      'set -e', 'mkdir -p /www /tmp/d && echo hello > /www/index.html', 'ls / > /dev/null', 'ps > /dev/null', 'id -u', 'date > /dev/null',
      'tar -cf /tmp/a.tar /www && gzip /tmp/a.tar && sha256sum /tmp/a.tar.gz > /dev/null', 'chown 1000 /tmp/d && chmod 700 /tmp/d',
      `httpd -p 127.0.0.1:${port} -h /www`, `wget -q -O - http://127.0.0.1:${port}/`, 'killall httpd',
      'ping -c 1 -W 5 127.0.0.1 > /dev/null && echo ping-ok', 'sh -c "echo subshell" | cat', 'echo done',
    ].join('\n');
    const r = await run(env.config({ args: ['sh', '-c', script] }));
    assert.equal(r.exitCode, 0, r.err.join('\n'));
    assert.deepEqual(r.out, ['0', 'hello', 'ping-ok', 'subshell', 'done']);
  });

  test('capabilities decide the gated calls: CAP_SYS_PTRACE adds kcmp; ptrace itself needs none on kernels >= 4.8', async () => {
    const args = ['/bin/syscall-probe', 'kcmp', 'ptrace', 'process_vm_readv'];
    const dflt = probeOut(await run(env.config({ args })));
    assert.deepEqual(dflt, { kcmp: 'EPERM', ptrace: 'ok', process_vm_readv: 'ok' });
    const traced = probeOut(await run(env.config({ args, capabilities: { add: ['SYS_PTRACE'] } })));
    assert.deepEqual(traced, { kcmp: 'ok', ptrace: 'ok', process_vm_readv: 'ok' });
  });

  test('Unconfined: no filter at all (seed 004 debugs with SYS_PTRACE and seccomp=unconfined)', async () => {
    const r = await run(env.config({ args: ['sh', '-c', 'grep Seccomp: /proc/self/status; /bin/syscall-probe kcmp personality; unshare -U true && echo unshared'],
      seccompProfile: { type: 'Unconfined' }, capabilities: { add: ['SYS_PTRACE'] } }));
    assert.equal(r.out[0], 'Seccomp:\t0');
    assert.deepEqual(probeResults(r.out.slice(1, 3)), { kcmp: 'ok', personality: 'ok' });
    assert.equal(r.out[3], 'unshared');
  });

  test('a Localhost profile, inline or from the node\'s seccomp dir, is what the container gets', async () => {
    const denyMkdir = JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [
      { names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 },
      // Conditions are resolved before runc sees the profile: this rule needs CAP_SYS_ADMIN, not held.
      { names: ['rmdir'], action: 'SCMP_ACT_ERRNO', includes: { caps: ['CAP_SYS_ADMIN'] } },
    ] });
    const script = 'mkdir /tmp/x 2>&1 || true; mkdir -p /tmp/y/z 2>&1 || true; ls -d /tmp/y 2>&1 || true; touch /tmp/f && echo touched';
    const inline = await run(env.config({ args: ['sh', '-c', script], seccompProfile: { type: 'Localhost', localhostProfile: 'deny-mkdir.json', content: denyMkdir } }));
    assert.match(inline.out[0] ?? '', /can't create directory '\/tmp\/x': Operation not permitted/);
    assert.ok(inline.out.includes('touched'), inline.out.join('\n'));
    await mkdir(join(env.dir, 'seccomp', 'profiles'), { recursive: true });
    await writeFile(join(env.dir, 'seccomp', 'profiles', 'deny-mkdir.json'), denyMkdir);
    const fromFile = await run(env.config({ args: ['sh', '-c', script], seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/deny-mkdir.json' } }));
    assert.deepEqual(fromFile.out, inline.out);
    const rmdir = await run(env.config({ args: ['sh', '-c', 'rmdir /data && echo removed'], seccompProfile: { type: 'Localhost', localhostProfile: 'x', content: denyMkdir } }));
    assert.deepEqual(rmdir.out, ['removed']);
  });

  test("a profile's defaultErrnoRet is honoured", async () => {
    const enosys = JSON.stringify({ ...DEFAULT_SECCOMP_PROFILE, defaultErrnoRet: 38 });
    const r = await run(env.config({ args: ['/bin/syscall-probe', 'personality'], seccompProfile: { type: 'Localhost', localhostProfile: 'enosys.json', content: enosys } }));
    assert.deepEqual(probeOut(r), { personality: 'ENOSYS' });
  });

  test('bad or missing Localhost profiles are refused at create, with what to fix', async () => {
    const bad = env.config({ seccompProfile: { type: 'Localhost', localhostProfile: 'bad.json', content: '{"defaultAction":"SCMP_ACT_DENY"}' } });
    await assert.rejects(env.runtime.create(bad), (e: Error) => e instanceof ApiError && e.code === 'Invalid' && /defaultAction: unknown action "SCMP_ACT_DENY"/.test(e.message));
    const missing = env.config({ seccompProfile: { type: 'Localhost', localhostProfile: 'nope.json' } });
    await assert.rejects(env.runtime.create(missing), /seccomp profile .*seccomp\/nope\.json does not exist on this node/);
    const escape = env.config({ seccompProfile: { type: 'Localhost', localhostProfile: '../state/x.json' } });
    await assert.rejects(env.runtime.create(escape), /must be a relative path below the node's seccomp directory/);
    assert.equal((await env.runtime.list()).some((c) => [bad.id, missing.id, escape.id].includes(c.id)), false, 'nothing is left behind');
  });

  test('AppArmor: a host without it is said once in the node log; containers run without a profile', async () => {
    const logs: string[] = [];
    const rt = new RuncRuntime({ stateDir: env.stateDir, cgroupParent: env.cgroupParent, log: (m) => logs.push(m) });
    for (let i = 0; i < 2; i++) {
      const c = env.config({ args: ['cat', '/proc/self/attr/current'] });
      await rt.create(c);
      await rt.start(c.id);
      assert.equal((await waitStopped(rt, c.id)).exitCode !== undefined, true);
    }
    const host = probeAppArmor();
    if (host.enabled) {
      assert.deepEqual(logs, []);
    } else {
      assert.equal(logs.length, 1, logs.join('\n'));
      assert.match(logs[0] ?? '', /^AppArmor: .*containers run without an AppArmor profile$/);
      await assert.rejects(rt.create(env.config({ appArmorProfile: { type: 'Localhost', localhostProfile: 'my-profile' } })),
        /AppArmor profile "my-profile" was asked for, but this node cannot apply it/);
    }
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
