import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SeccompProfile } from '../../api/seccomp-profile.js';
import { DEFAULT_CAPABILITIES } from './capabilities.js';
import type { OciSeccomp } from './oci-types.js';
import { allowedSyscalls, defaultSeccompProfile, kernelAtLeast, resolveSeccompProfile } from './seccomp.js';

const KERNEL = '6.1.0-18-amd64';
const dflt = (caps: readonly string[] = DEFAULT_CAPABILITIES, hostArch = 'x64', kernel = KERNEL): OciSeccomp =>
  defaultSeccompProfile(caps, hostArch, kernel);
const argRules = (p: OciSeccomp, name: string): unknown[] => (p.syscalls ?? []).filter((r) => r.names.includes(name) && r.args).map((r) => ({ action: r.action, args: r.args }));

describe("Docker's default seccomp profile (an allowlist)", () => {
  test('denies by default with EPERM; x86_64 filters its x86 and x32 ABIs, arm64 its arm ABI', () => {
    const p = dflt();
    assert.equal(p.defaultAction, 'SCMP_ACT_ERRNO');
    assert.equal(p.defaultErrnoRet, 1);
    assert.deepEqual(p.architectures, ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
    assert.deepEqual(dflt(DEFAULT_CAPABILITIES, 'arm64').architectures, ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM']);
  });

  test('allows the ordinary calls and nothing dangerous', () => {
    const allowed = allowedSyscalls(dflt());
    for (const s of ['read', 'write', 'openat', 'execve', 'mmap', 'futex', 'epoll_wait', 'accept4', 'sendmsg', 'mkdirat',
      'setuid', 'capset', 'wait4', 'rt_sigaction', 'clock_gettime', 'getrandom', 'statx', 'pipe2']) {
      assert.ok(allowed.includes(s), `${s} allowed`);
    }
    // Outside the list: default action (EPERM), whatever the capabilities say.
    for (const s of ['mount', 'unshare', 'setns', 'keyctl', 'add_key', 'swapon', 'pivot_root', 'kexec_load', 'init_module',
      'reboot', 'bpf', 'kcmp', 'acct', 'iopl', 'settimeofday', 'vhangup', 'mbind', 'syslog', 'perf_event_open',
      'open_by_handle_at', 'userfaultfd', 'io_uring_setup', 'clone', 'personality', 'socket']) {
      assert.ok(!allowed.includes(s), `${s} not allowed unconditionally`);
    }
  });

  test('per-architecture calls: arch_prctl and modify_ldt on x86_64, set_tls and cacheflush on arm64', () => {
    const x86 = allowedSyscalls(dflt());
    const arm = allowedSyscalls(dflt(DEFAULT_CAPABILITIES, 'arm64'));
    assert.ok(x86.includes('arch_prctl') && x86.includes('modify_ldt') && !x86.includes('set_tls'));
    assert.ok(arm.includes('set_tls') && arm.includes('cacheflush') && arm.includes('arm_fadvise64_64') && !arm.includes('arch_prctl'));
  });

  test('argument rules: socket without AF_VSOCK, personality only harmless values, clone without namespaces', () => {
    const p = dflt();
    assert.deepEqual(argRules(p, 'socket'), [
      { action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 38, op: 'SCMP_CMP_LT' }] },
      { action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 39, op: 'SCMP_CMP_EQ' }] },
      { action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 40, op: 'SCMP_CMP_GT' }] },
    ]);
    assert.deepEqual(argRules(p, 'personality').map((r) => (r as { args: Array<{ value: number }> }).args[0]?.value), [0, 8, 0x20000, 0x20008, 0xffffffff]);
    assert.deepEqual(argRules(p, 'clone'), [{ action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 0x7e020000, op: 'SCMP_CMP_MASKED_EQ' }] }]);
    assert.deepEqual(p.syscalls?.find((r) => r.names.includes('clone3')), { names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 });
  });

  test('each capability adds the calls it gates, and only those', () => {
    const gates: Array<[string, string[]]> = [
      ['CAP_SYS_ADMIN', ['mount', 'umount2', 'unshare', 'setns', 'sethostname', 'clone', 'clone3', 'fanotify_init', 'bpf', 'perf_event_open', 'syslog', 'quotactl']],
      ['CAP_SYS_PTRACE', ['kcmp', 'pidfd_getfd', 'process_madvise', 'ptrace', 'process_vm_readv']],
      ['CAP_SYS_BOOT', ['reboot']], ['CAP_SYS_MODULE', ['init_module', 'finit_module', 'delete_module']],
      ['CAP_SYS_RAWIO', ['iopl', 'ioperm']], ['CAP_SYS_TIME', ['settimeofday', 'clock_settime']],
      ['CAP_SYS_NICE', ['mbind', 'set_mempolicy', 'get_mempolicy']], ['CAP_SYSLOG', ['syslog']], ['CAP_BPF', ['bpf']],
      ['CAP_PERFMON', ['perf_event_open']], ['CAP_DAC_READ_SEARCH', ['open_by_handle_at']], ['CAP_SYS_PACCT', ['acct']],
      ['CAP_SYS_TTY_CONFIG', ['vhangup']],
    ];
    const base = new Set(allowedSyscalls(dflt()));
    for (const [cap, calls] of gates) {
      const withCap = allowedSyscalls(dflt([...DEFAULT_CAPABILITIES, cap]));
      for (const c of calls) assert.ok(withCap.includes(c), `${cap} allows ${c}`);
      if (cap !== 'CAP_SYS_PTRACE') for (const c of calls) assert.ok(!base.has(c), `${c} needs ${cap}`);
    }
    // CAP_SYS_ADMIN lifts the clone and clone3 restrictions altogether.
    const admin = dflt([...DEFAULT_CAPABILITIES, 'CAP_SYS_ADMIN']);
    assert.deepEqual(argRules(admin, 'clone'), []);
    assert.equal(admin.syscalls?.some((r) => r.names.includes('clone3') && r.action === 'SCMP_ACT_ERRNO'), false);
    // Dropping a default capability takes its calls away: chroot needs CAP_SYS_CHROOT.
    assert.ok(base.has('chroot'));
    assert.ok(!allowedSyscalls(dflt(DEFAULT_CAPABILITIES.filter((c) => c !== 'CAP_SYS_CHROOT'))).includes('chroot'));
  });

  test('ptrace is allowed without CAP_SYS_PTRACE from kernel 4.8 on, as Docker decides', () => {
    assert.ok(allowedSyscalls(dflt()).includes('ptrace'));
    assert.ok(!allowedSyscalls(dflt(DEFAULT_CAPABILITIES, 'x64', '4.4.0-210-generic')).includes('ptrace'));
    assert.ok(kernelAtLeast('4.8.0', '4.8') && kernelAtLeast('5.10.0-28-amd64', '4.8') && !kernelAtLeast('4.7.10', '4.8'));
  });

  test('only OCI fields reach runc: no includes, excludes, archMap, comment', () => {
    for (const caps of [DEFAULT_CAPABILITIES, [...DEFAULT_CAPABILITIES, 'CAP_SYS_ADMIN'], []]) {
      const p = dflt(caps);
      assert.deepEqual(Object.keys(p).sort(), ['architectures', 'defaultAction', 'defaultErrnoRet', 'syscalls']);
      for (const r of p.syscalls ?? []) for (const k of Object.keys(r)) assert.ok(['names', 'action', 'errnoRet', 'args'].includes(k), k);
    }
  });
});

describe('resolving a custom profile', () => {
  const custom: SeccompProfile = {
    defaultAction: 'SCMP_ACT_ALLOW',
    architectures: ['SCMP_ARCH_X86_64'],
    syscalls: [
      { name: 'mkdirat', action: 'SCMP_ACT_ERRNO' },
      { names: ['chmod'], action: 'SCMP_ACT_ERRNO', errnoRet: 13, includes: { caps: ['CAP_SYS_ADMIN'] } },
      { names: ['chown'], action: 'SCMP_ACT_ERRNO', excludes: { arches: ['amd64'] } },
      { names: ['link'], action: 'SCMP_ACT_ERRNO', excludes: { minKernel: '3.0' } },
      { names: ['kill'], action: 'SCMP_ACT_LOG', args: null, comment: 'just log' },
    ],
  };
  test('keeps architectures, turns name into names and drops rules whose conditions fail', () => {
    const p = resolveSeccompProfile(custom, { caps: DEFAULT_CAPABILITIES, hostArch: 'x64', kernel: KERNEL });
    assert.deepEqual(p, {
      defaultAction: 'SCMP_ACT_ALLOW', architectures: ['SCMP_ARCH_X86_64'],
      syscalls: [{ names: ['mkdirat'], action: 'SCMP_ACT_ERRNO' }, { names: ['kill'], action: 'SCMP_ACT_LOG' }],
    });
    const admin = resolveSeccompProfile(custom, { caps: ['CAP_SYS_ADMIN'], hostArch: 'arm64', kernel: '2.6.32' });
    assert.deepEqual(admin.syscalls?.map((r) => r.names[0]), ['mkdirat', 'chmod', 'chown', 'link', 'kill']);
  });
});
