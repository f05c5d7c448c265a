import { arch, release } from 'node:os';
import type { SeccompCondition, SeccompProfile } from '../../api/seccomp-profile.js';
import type { OciSeccomp, OciSyscallRule } from './oci-types.js';
import { DEFAULT_SECCOMP_PROFILE } from './seccomp-default.js';

/** Node's process.arch → the native names Docker's profiles use in includes/excludes.arches. */
const NATIVE_ARCH: Record<string, string> = {
  x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: 'x86', ppc64: 'ppc64le', s390x: 's390x', s390: 's390',
  riscv64: 'riscv64', loong64: 'loongarch64', mips: 'mips', mipsel: 'mipsel', mips64: 'mips64', mips64el: 'mipsel64',
};
/** Native name → libseccomp's name, to pick the archMap entry. */
const SCMP_ARCH: Record<string, string> = {
  amd64: 'SCMP_ARCH_X86_64', arm64: 'SCMP_ARCH_AARCH64', arm: 'SCMP_ARCH_ARM', x86: 'SCMP_ARCH_X86',
  ppc64le: 'SCMP_ARCH_PPC64LE', s390x: 'SCMP_ARCH_S390X', s390: 'SCMP_ARCH_S390', riscv64: 'SCMP_ARCH_RISCV64',
  loongarch64: 'SCMP_ARCH_LOONGARCH64', mips: 'SCMP_ARCH_MIPS', mipsel: 'SCMP_ARCH_MIPSEL', mips64: 'SCMP_ARCH_MIPS64',
  mipsel64: 'SCMP_ARCH_MIPSEL64',
};

/** The facts a profile's conditions are decided on. */
export interface SeccompTarget {
  /** The container's capabilities (its bounding set, as Docker checks). */
  caps: readonly string[];
  /** process.arch of the node (x64, arm64, ...). */
  hostArch?: string;
  /** os.release() of the node, e.g. "6.1.0-18-amd64". */
  kernel?: string;
}

/**
 * Resolves a Docker-format profile into the plain OCI linux.seccomp that runc 1.1 reads, as Docker's
 * setupSeccomp does: archMap → the node's architecture and its compat ABIs; a rule is kept only when
 * its `includes` hold (all caps held, the node's arch listed, kernel ≥ minKernel) and its `excludes`
 * do not (any cap held, arch listed, kernel ≥ minKernel). runc ignores fields it does not know, so a
 * rule with `includes` left in would apply unconditionally: nothing but OCI fields leaves here.
 */
export function resolveSeccompProfile(profile: SeccompProfile, target: SeccompTarget): OciSeccomp {
  const native = NATIVE_ARCH[target.hostArch ?? arch()] ?? target.hostArch ?? arch();
  const kernel = target.kernel ?? release();
  const architectures = [...(profile.architectures ?? [])];
  const entry = (profile.archMap ?? []).find((m) => m.architecture === SCMP_ARCH[native]);
  if (entry) architectures.push(entry.architecture, ...(entry.subArchitectures ?? []));
  const holds = (c: SeccompCondition | undefined, all: boolean): boolean => {
    const checks: boolean[] = [];
    if (c?.caps && c.caps.length > 0) checks.push(all ? c.caps.every((x) => target.caps.includes(x)) : c.caps.some((x) => target.caps.includes(x)));
    if (c?.arches && c.arches.length > 0) checks.push(c.arches.includes(native));
    if (c?.minKernel) checks.push(kernelAtLeast(kernel, c.minKernel));
    return all ? checks.every(Boolean) : checks.some(Boolean);
  };
  const syscalls: OciSyscallRule[] = [];
  for (const rule of profile.syscalls ?? []) {
    if (holds(rule.excludes, false)) continue;
    if (!holds(rule.includes, true)) continue;
    const out: OciSyscallRule = { names: rule.names ?? (rule.name !== undefined ? [rule.name] : []), action: rule.action };
    if (rule.errnoRet !== undefined) out.errnoRet = rule.errnoRet;
    if (rule.args && rule.args.length > 0) out.args = rule.args.map((a) => ({ index: a.index, value: a.value, ...(a.valueTwo !== undefined ? { valueTwo: a.valueTwo } : {}), op: a.op }));
    syscalls.push(out);
  }
  const oci: OciSeccomp = { defaultAction: profile.defaultAction, architectures, syscalls };
  if (profile.defaultErrnoRet !== undefined) oci.defaultErrnoRet = profile.defaultErrnoRet;
  return oci;
}

/** Docker's default profile for a container holding `caps`, on this node (or the one named). */
export function defaultSeccompProfile(caps: readonly string[], hostArch?: string, kernel?: string): OciSeccomp {
  return resolveSeccompProfile(DEFAULT_SECCOMP_PROFILE, { caps, ...(hostArch ? { hostArch } : {}), ...(kernel ? { kernel } : {}) });
}

/** True when release (e.g. "6.1.0-18-amd64") is at least min (e.g. "4.8"). */
export function kernelAtLeast(release: string, min: string): boolean {
  const parse = (v: string): number[] => (/^(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(v) ?? []).slice(1).map((n) => Number(n ?? 0));
  const have = parse(release);
  const want = parse(min);
  for (let i = 0; i < 3; i++) {
    const h = have[i] ?? 0;
    const w = want[i] ?? 0;
    if (h !== w) return h > w;
  }
  return true;
}

/** Names a resolved profile allows without argument conditions (for docs and tests). */
export function allowedSyscalls(profile: OciSeccomp): string[] {
  return (profile.syscalls ?? []).filter((r) => r.action === 'SCMP_ACT_ALLOW' && !r.args).flatMap((r) => r.names);
}
