import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Pod } from '../src/api/pod.js';
import { probeAppArmor } from '../src/runtime/runc/apparmor.js';
import { buildSyscallProbe, probeResults } from '../src/runtime/runc/syscall-probe.js';
import { TestServer } from './harness/lanternd.js';
import { Cli, explain } from './harness/cli.js';

const status = (out: string, key: string): string | undefined => new RegExp(`^${key}:\\s*(\\S+)`, 'm').exec(out)?.[1];
const DENY_MKDIR = { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 }] };

describe('lcctl run: seccomp, AppArmor, no-new-privileges and capabilities as Docker has them', () => {
  const server = new TestServer();
  const cli = new Cli(server);
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-sec-'));
  let probe: string[];
  before(async () => {
    await server.start();
    await cli.importBusybox();
    await buildSyscallProbe(path.join(dir, 'probe'));
    // A static helper for the calls busybox cannot make, mounted read-only into each container.
    probe = ['-v', `${path.join(dir, 'probe')}:/probe:ro`];
  });
  after(async () => { await server.stop(); rmSync(dir, { recursive: true, force: true }); });

  test("the default profile is Docker's allowlist: a call outside it fails with EPERM, busybox works", async () => {
    const out = await cli.ok(['run', '--rm', ...probe, 'busybox', 'sh', '-c',
      'grep -E "^(Seccomp|NoNewPrivs):" /proc/self/status; /probe/syscall-probe personality kcmp getpid; unshare -U true 2>&1; ls / >/dev/null && ps >/dev/null && echo busybox-ok']);
    assert.equal(status(out, 'Seccomp'), '2');
    assert.deepEqual(probeResults(out.split('\n').filter((l) => /^(personality|kcmp|getpid) /.test(l))), { personality: 'EPERM', kcmp: 'EPERM', getpid: 'ok' });
    assert.match(out, /unshare: unshare\(0x10000000\): Operation not permitted/);
    assert.match(out, /^busybox-ok$/m);
  });

  test("--cap-add SYS_PTRACE --security-opt seccomp=unconfined (seed 004's debug line) allows the ptrace family", async () => {
    const open = await cli.ok(['run', '--rm', ...probe, '--cap-add', 'SYS_PTRACE', '--security-opt', 'seccomp=unconfined', 'busybox', 'sh', '-c',
      'grep Seccomp: /proc/self/status; /probe/syscall-probe kcmp ptrace process_vm_readv personality']);
    assert.equal(status(open, 'Seccomp'), '0');
    assert.deepEqual(probeResults(open.split('\n').slice(1)), { kcmp: 'ok', ptrace: 'ok', process_vm_readv: 'ok', personality: 'ok' });
    // The capability alone re-allows its calls under the default profile, which stays on.
    const capOnly = await cli.ok(['run', '--rm', ...probe, '--cap-add', 'SYS_PTRACE', 'busybox', 'sh', '-c', 'grep Seccomp: /proc/self/status; /probe/syscall-probe kcmp personality']);
    assert.equal(status(capOnly, 'Seccomp'), '2');
    assert.deepEqual(probeResults(capOnly.split('\n').slice(1)), { kcmp: 'ok', personality: 'EPERM' });
  });

  test('--security-opt seccomp=profile.json: the CLI sends the profile; a profile that denies mkdir makes mkdir fail with EPERM', async () => {
    const file = path.join(dir, 'deny-mkdir.json');
    writeFileSync(file, JSON.stringify(DENY_MKDIR, null, 2));
    const r = await cli.run(['run', '--rm', '--security-opt', `seccomp=${file}`, 'busybox', 'sh', '-c', 'touch /ok && echo touched; mkdir /x']);
    assert.notEqual(r.code, 0, explain(server, r));
    assert.equal(r.stdout, 'touched\n');
    assert.match(r.stderr, /mkdir: can't create directory '\/x': Operation not permitted/);
  });

  test('--security-opt no-new-privileges sets NoNewPrivs; without it setuid programs may gain privileges, as in Docker', async () => {
    assert.equal(status(await cli.ok(['run', '--rm', '--security-opt', 'no-new-privileges', 'busybox', 'grep', 'NoNewPrivs', '/proc/self/status']), 'NoNewPrivs'), '1');
    assert.equal(status(await cli.ok(['run', '--rm', 'busybox', 'grep', 'NoNewPrivs', '/proc/self/status']), 'NoNewPrivs'), '0');
  });

  test('--cap-drop ALL leaves CapEff 0 with the filter still on; --privileged runs unconfined', async () => {
    const none = await cli.ok(['run', '--rm', '--cap-drop', 'ALL', 'busybox', 'grep', '-E', '^(CapEff|Seccomp):', '/proc/self/status']);
    assert.equal(status(none, 'CapEff'), '0000000000000000');
    assert.equal(status(none, 'Seccomp'), '2');
    const priv = await cli.ok(['run', '--rm', '--privileged', '--security-opt', `seccomp=${path.join(dir, 'deny-mkdir.json')}`, 'busybox', 'sh', '-c', 'grep Seccomp: /proc/self/status; mkdir /x && echo made']);
    assert.deepEqual(priv.trim().split('\n'), ['Seccomp:\t0', 'made']);
  });

  test("AppArmor: lantern-default where the host has it; where it has none, the node's log says so once", async () => {
    const runs = await Promise.all([0, 1].map(() => cli.ok(['run', '--rm', 'busybox', 'sh', '-c', 'cat /proc/self/attr/current 2>/dev/null; echo', 'x'])));
    if (probeAppArmor().enabled) {
      for (const out of runs) assert.match(out, /^lantern-default \(enforce\)/);
      assert.doesNotMatch(server.logs, /AppArmor:/);
    } else {
      const said = server.logs.split('\n').filter((l) => l.includes('AppArmor:'));
      assert.equal(said.length, 1, server.logs);
      assert.match(said[0] ?? '', /^lanternd: runtime: AppArmor: the kernel has no AppArmor .*; containers run without an AppArmor profile$/);
    }
  });

  test('bad --security-opt values and bad profiles are refused before anything is created (exit 125)', async () => {
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_DENY' }] }));
    writeFileSync(path.join(dir, 'broken.json'), '{"defaultAction": ');
    const cases: Array<[string, RegExp]> = [
      ['seccomp', /Invalid --security-opt: "seccomp"/],
      ['sandbox=strict', /invalid --security-opt 2: "sandbox=strict"/],
      [`seccomp=${path.join(dir, 'missing.json')}`, /opening seccomp profile \(.*missing\.json\) failed: ENOENT/],
      [`seccomp=${path.join(dir, 'broken.json')}`, /compacting json for seccomp profile \(.*broken\.json\) failed/],
      [`seccomp=${path.join(dir, 'bad.json')}`, /syscalls\[0\]\.action: unknown action "SCMP_ACT_DENY"/],
    ];
    for (const [opt, error] of cases) {
      const r = await cli.run(['run', '--rm', '--name', 'never', '--security-opt', opt, 'busybox', 'true']);
      assert.equal(r.code, 125, explain(server, r));
      assert.match(r.stderr, error);
    }
    assert.doesNotMatch(await cli.ok(['ps', '-a']), /never/);
  });

  test('pod manifests: seccompProfile Localhost reads the node\'s file; the server refuses a bad inline profile', async () => {
    const seccompDir = path.join(server.dataDir, 'agent', 'seccomp');
    mkdirSync(path.join(seccompDir, 'profiles'), { recursive: true });
    writeFileSync(path.join(seccompDir, 'profiles', 'deny-mkdir.json'), JSON.stringify(DENY_MKDIR));
    const pod = (name: string, extra: (p: Pod) => void): Pod => {
      const p: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { restartPolicy: 'Never', containers: [{
        name: 'c', image: 'busybox', imagePullPolicy: 'Never', command: ['sh', '-c', 'mkdir /x 2>&1; grep NoNewPrivs /proc/self/status'],
        securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/deny-mkdir.json' } } }] } };
      extra(p);
      return p;
    };
    const created = await server.api('POST', '/api/v1/namespaces/default/pods', pod('from-node-file', () => undefined));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const logs = await server.until('the pod has run', async () => {
      const r = await cli.run(['logs', 'from-node-file']);
      return r.code === 0 && /NoNewPrivs/.test(r.stdout) ? r.stdout : undefined;
    });
    assert.match(logs, /mkdir: can't create directory '\/x': Operation not permitted/);
    assert.match(logs, /NoNewPrivs:\s*1/, 'a Pod that says nothing about allowPrivilegeEscalation gets no_new_privs on Lantern');
    const bad = await server.api<{ message: string }>('POST', '/api/v1/namespaces/default/pods', pod('bad-inline', (p) => {
      p.metadata.annotations = { 'seccomp.lantern.dev/c': '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_NOTIFY"}]}' };
    }));
    assert.equal(bad.status, 422);
    assert.match(bad.body.message, /seccomp\.lantern\.dev\/c.*SCMP_ACT_NOTIFY needs a seccomp listener/);
  });
});
