import { arch } from 'node:os';
import type { OciSeccomp, OciSyscallRule } from './oci-types.js';

/**
 * Syscalls Docker's default profile refuses, each with the capability that re-allows it (none: always
 * refused). Docker's profile is an allowlist; this is the same intent written as a denylist so that
 * new, harmless syscalls keep working.
 */
const GATED_SYSCALLS: ReadonlyArray<{ cap?: string; names: readonly string[] }> = [
  { names: ['add_key', 'keyctl', 'request_key', 'create_module', 'get_kernel_syms', 'query_module',
    'nfsservctl', 'sysfs', '_sysctl', 'uselib', 'userfaultfd', 'ustat', 'vm86', 'vm86old', 'afs_syscall',
    'io_uring_setup', 'io_uring_enter', 'io_uring_register'] },
  { cap: 'CAP_SYS_ADMIN', names: ['mount', 'mount_setattr', 'umount', 'umount2', 'unshare', 'setns',
    'pivot_root', 'move_mount', 'open_tree', 'fsopen', 'fsconfig', 'fsmount', 'fspick', 'fanotify_init',
    'lookup_dcookie', 'name_to_handle_at', 'quotactl', 'quotactl_fd', 'swapon', 'swapoff',
    'sethostname', 'setdomainname'] },
  { cap: 'CAP_DAC_READ_SEARCH', names: ['open_by_handle_at'] },
  { cap: 'CAP_SYS_BOOT', names: ['reboot', 'kexec_load', 'kexec_file_load'] },
  { cap: 'CAP_SYS_MODULE', names: ['init_module', 'finit_module', 'delete_module'] },
  { cap: 'CAP_SYS_PACCT', names: ['acct'] },
  { cap: 'CAP_SYS_PTRACE', names: ['ptrace', 'kcmp', 'process_vm_readv', 'process_vm_writev', 'pidfd_getfd',
    'process_madvise'] },
  { cap: 'CAP_SYS_RAWIO', names: ['iopl', 'ioperm'] },
  { cap: 'CAP_SYS_TIME', names: ['settimeofday', 'stime', 'clock_settime', 'clock_settime64', 'clock_adjtime',
    'clock_adjtime64'] },
  { cap: 'CAP_SYS_TTY_CONFIG', names: ['vhangup'] },
  { cap: 'CAP_SYS_NICE', names: ['move_pages', 'mbind', 'set_mempolicy', 'get_mempolicy'] },
  { cap: 'CAP_SYSLOG', names: ['syslog'] },
  { cap: 'CAP_BPF', names: ['bpf'] },
  { cap: 'CAP_PERFMON', names: ['perf_event_open'] },
];

const EPERM = 1;
const ENOSYS = 38;
const CLONE_NEWUSER = 0x10000000;

/** The seccomp architectures for this host: the native one plus its compat ABIs. */
export function seccompArchitectures(hostArch: string = arch()): string[] {
  if (hostArch === 'arm64') return ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM'];
  return ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'];
}

/** Docker-like default profile for a container whose effective capabilities are `caps`. */
export function defaultSeccompProfile(caps: readonly string[], hostArch?: string): OciSeccomp {
  const denied: string[] = [];
  for (const gate of GATED_SYSCALLS) {
    if (gate.cap && caps.includes(gate.cap)) continue;
    denied.push(...gate.names);
  }
  const rules: OciSyscallRule[] = [{ names: denied, action: 'SCMP_ACT_ERRNO', errnoRet: EPERM }];
  if (!caps.includes('CAP_SYS_ADMIN')) {
    // clone3 passes its flags in a struct seccomp cannot read; ENOSYS makes libc fall back to clone.
    rules.push({ names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: ENOSYS });
    // A new user namespace needs no capability, so the kernel would allow it; Docker refuses it.
    rules.push({
      names: ['clone'], action: 'SCMP_ACT_ERRNO', errnoRet: EPERM,
      args: [{ index: 0, value: CLONE_NEWUSER, valueTwo: CLONE_NEWUSER, op: 'SCMP_CMP_MASKED_EQ' }],
    });
  }
  return { defaultAction: 'SCMP_ACT_ALLOW', architectures: seccompArchitectures(hostArch), syscalls: rules };
}

/** Names of the syscalls the profile refuses (for docs and tests). */
export function deniedSyscalls(profile: OciSeccomp): string[] {
  return (profile.syscalls ?? []).filter((r) => r.action === 'SCMP_ACT_ERRNO' && !r.args).flatMap((r) => r.names);
}
