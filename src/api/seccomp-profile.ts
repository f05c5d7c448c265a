/**
 * Seccomp profiles in Docker's format (moby/profiles: OCI linux.seccomp plus `archMap`,
 * `defaultErrnoRet` and per-rule `includes`/`excludes`), checked here so that the CLI, the API server
 * and the node refuse the same bad profiles with the same words. Pure: no I/O.
 */
import { ApiError } from './errors.js';

/** One argument comparison; the comparisons of a rule are ANDed. */
export interface SeccompArg { index: number; value: number; valueTwo?: number; op: string }

/** When a rule applies: every listed capability held, one of the arches, kernel at least minKernel. */
export interface SeccompCondition { caps?: string[]; arches?: string[]; minKernel?: string }

/** One rule of a profile (Docker's Syscall: `name` or `names`). */
export interface SeccompRule {
  names?: string[];
  name?: string;
  action: string;
  errnoRet?: number;
  args?: SeccompArg[] | null;
  includes?: SeccompCondition;
  excludes?: SeccompCondition;
  comment?: string;
}

/** A native architecture and the compat ABIs its kernel also runs. */
export interface SeccompArchMap { architecture: string; subArchitectures: string[] | null }

/** A whole profile, as `docker run --security-opt seccomp=FILE` reads it. */
export interface SeccompProfile {
  defaultAction: string;
  defaultErrnoRet?: number;
  architectures?: string[];
  archMap?: SeccompArchMap[];
  syscalls?: SeccompRule[];
  flags?: string[];
}

/** The largest profile text accepted (Docker's default profile is about 9 KiB compacted). */
export const MAX_SECCOMP_PROFILE_BYTES = 64 * 1024;

/**
 * Pod annotation `seccomp.lantern.dev/<container>`: the JSON of that container's Localhost profile,
 * sent inline by `lcctl run --security-opt seccomp=FILE` (Docker reads the file in the CLI too).
 */
export const SECCOMP_PROFILE_ANNOTATION_PREFIX = 'seccomp.lantern.dev/';

/** Actions runc 1.1 accepts, but SCMP_ACT_NOTIFY, which needs a listener Lantern does not run. */
export const SECCOMP_ACTIONS: readonly string[] = ['SCMP_ACT_KILL', 'SCMP_ACT_KILL_PROCESS', 'SCMP_ACT_KILL_THREAD',
  'SCMP_ACT_TRAP', 'SCMP_ACT_ERRNO', 'SCMP_ACT_TRACE', 'SCMP_ACT_ALLOW', 'SCMP_ACT_LOG'];
/** libseccomp's architecture names. */
export const SECCOMP_ARCHES: readonly string[] = ['SCMP_ARCH_X86', 'SCMP_ARCH_X86_64', 'SCMP_ARCH_X32', 'SCMP_ARCH_ARM',
  'SCMP_ARCH_AARCH64', 'SCMP_ARCH_MIPS', 'SCMP_ARCH_MIPS64', 'SCMP_ARCH_MIPS64N32', 'SCMP_ARCH_MIPSEL',
  'SCMP_ARCH_MIPSEL64', 'SCMP_ARCH_MIPSEL64N32', 'SCMP_ARCH_PPC', 'SCMP_ARCH_PPC64', 'SCMP_ARCH_PPC64LE',
  'SCMP_ARCH_S390', 'SCMP_ARCH_S390X', 'SCMP_ARCH_RISCV64', 'SCMP_ARCH_LOONGARCH64'];
/** Argument comparison operators. */
export const SECCOMP_OPS: readonly string[] = ['SCMP_CMP_NE', 'SCMP_CMP_LT', 'SCMP_CMP_LE', 'SCMP_CMP_EQ',
  'SCMP_CMP_GE', 'SCMP_CMP_GT', 'SCMP_CMP_MASKED_EQ'];
/** The architecture words of includes/excludes.arches (Go/libseccomp native names, as Docker's). */
export const SECCOMP_NATIVE_ARCHES: readonly string[] = ['amd64', 'x86', 'x32', 'arm', 'arm64', 'ppc', 'ppc64', 'ppc64le',
  's390', 's390x', 'riscv64', 'loongarch64', 'mips', 'mipsel', 'mips64', 'mipsel64', 'mips64n32', 'mipsel64n32', 'mips3l64n32'];

const PROFILE_KEYS = ['defaultAction', 'defaultErrnoRet', 'architectures', 'archMap', 'syscalls', 'flags'];
const RULE_KEYS = ['names', 'name', 'action', 'errnoRet', 'args', 'includes', 'excludes', 'comment'];
const ARG_KEYS = ['index', 'value', 'valueTwo', 'op'];
const COND_KEYS = ['caps', 'arches', 'minKernel'];
const MAX_ERRNO = 4095;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (xs: readonly string[]): string => xs.join(', ');

/** Problems with a decoded profile, each "path: what is wrong" (empty: valid). */
export function seccompProfileProblems(value: unknown): string[] {
  const out: string[] = [];
  if (!isObj(value)) return ['the profile must be a JSON object with defaultAction and syscalls'];
  unknownKeys(value, PROFILE_KEYS, '', out);
  if (typeof value.defaultAction !== 'string') out.push(`defaultAction: required, one of ${list(SECCOMP_ACTIONS)}`);
  else action(value.defaultAction, 'defaultAction', out);
  if (value.defaultErrnoRet !== undefined) errno(value.defaultErrnoRet, 'defaultErrnoRet', out);
  if (value.architectures !== undefined && value.architectures !== null) {
    strings(value.architectures, 'architectures', out, (a, p) => { if (!SECCOMP_ARCHES.includes(a)) out.push(`${p}: unknown architecture "${a}": use one of ${list(SECCOMP_ARCHES)}`); });
  }
  if (value.archMap !== undefined && value.archMap !== null) archMap(value.archMap, out);
  const hasArches = Array.isArray(value.architectures) && value.architectures.length > 0;
  if (hasArches && Array.isArray(value.archMap) && value.archMap.length > 0) {
    out.push("both 'architectures' and 'archMap' are specified in the seccomp profile, use either 'architectures' or 'archMap'");
  }
  if (value.flags !== undefined && value.flags !== null) {
    strings(value.flags, 'flags', out, () => undefined);
    if (Array.isArray(value.flags) && value.flags.length > 0) out.push('flags: seccomp flags are not supported by the runtime (runc 1.1): remove them');
  }
  if (value.syscalls !== undefined && value.syscalls !== null) {
    if (!Array.isArray(value.syscalls)) out.push('syscalls: must be a list of rules');
    else value.syscalls.forEach((r, i) => rule(r, `syscalls[${i}]`, out));
  }
  return out;
}

/** Decodes and checks profile text; throws ApiError Invalid naming every problem (Docker's wording first). */
export function parseSeccompProfile(text: string, what = 'seccomp profile'): SeccompProfile {
  const size = Buffer.byteLength(text, 'utf8');
  if (size > MAX_SECCOMP_PROFILE_BYTES) {
    throw new ApiError('Invalid', `${what} is ${size} bytes, over the limit of ${MAX_SECCOMP_PROFILE_BYTES}: remove rules or merge their names`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ApiError('Invalid', `Decoding ${what} failed: ${(e as Error).message}`);
  }
  const problems = seccompProfileProblems(value);
  if (problems.length > 0) throw new ApiError('Invalid', `invalid ${what}: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`);
  return value as SeccompProfile;
}

function unknownKeys(o: Obj, known: readonly string[], path: string, out: string[]): void {
  for (const k of Object.keys(o)) {
    if (!known.includes(k)) out.push(`${path}${path ? '.' : ''}${k}: unknown field (known: ${list(known)})`);
  }
}

function action(a: string, path: string, out: string[]): void {
  if (a === 'SCMP_ACT_NOTIFY') out.push(`${path}: SCMP_ACT_NOTIFY needs a seccomp listener, which Lantern does not run`);
  else if (!SECCOMP_ACTIONS.includes(a)) out.push(`${path}: unknown action "${a}": use one of ${list(SECCOMP_ACTIONS)}`);
}

function errno(v: unknown, path: string, out: string[]): void {
  if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > MAX_ERRNO) out.push(`${path}: must be an errno number from 0 to ${MAX_ERRNO} (1 is EPERM)`);
}

function strings(v: unknown, path: string, out: string[], each: (s: string, p: string) => void): void {
  if (!Array.isArray(v)) { out.push(`${path}: must be a list of strings`); return; }
  v.forEach((s, i) => { if (typeof s !== 'string') out.push(`${path}[${i}]: must be a string`); else each(s, `${path}[${i}]`); });
}

function archMap(v: unknown, out: string[]): void {
  if (!Array.isArray(v)) { out.push('archMap: must be a list of {architecture, subArchitectures}'); return; }
  v.forEach((m, i) => {
    const p = `archMap[${i}]`;
    if (!isObj(m)) { out.push(`${p}: must be an object {architecture, subArchitectures}`); return; }
    unknownKeys(m, ['architecture', 'subArchitectures'], p, out);
    const arch = (a: string, ap: string): void => { if (!SECCOMP_ARCHES.includes(a)) out.push(`${ap}: unknown architecture "${a}": use one of ${list(SECCOMP_ARCHES)}`); };
    if (typeof m.architecture !== 'string') out.push(`${p}.architecture: required`);
    else arch(m.architecture, `${p}.architecture`);
    if (m.subArchitectures !== undefined && m.subArchitectures !== null) strings(m.subArchitectures, `${p}.subArchitectures`, out, arch);
  });
}

function rule(r: unknown, p: string, out: string[]): void {
  if (!isObj(r)) { out.push(`${p}: must be an object {names, action}`); return; }
  unknownKeys(r, RULE_KEYS, p, out);
  if (r.name !== undefined && r.names !== undefined) out.push(`${p}: both 'name' and 'names' are specified in the seccomp profile, use either 'name' or 'names'`);
  const names = r.names !== undefined ? r.names : r.name !== undefined ? [r.name] : undefined;
  if (names === undefined || (Array.isArray(names) && names.length === 0)) out.push(`${p}.names: required, a list of syscall names`);
  else strings(names, `${p}.${r.names !== undefined ? 'names' : 'name'}`, out, (n, np) => {
    if (!/^[a-z_][a-z0-9_]{0,63}$/.test(n)) out.push(`${np}: "${n}" is not a syscall name`);
  });
  if (typeof r.action !== 'string') out.push(`${p}.action: required, one of ${list(SECCOMP_ACTIONS)}`);
  else action(r.action, `${p}.action`, out);
  if (r.errnoRet !== undefined) errno(r.errnoRet, `${p}.errnoRet`, out);
  if (r.comment !== undefined && typeof r.comment !== 'string') out.push(`${p}.comment: must be a string`);
  if (r.args !== undefined && r.args !== null) args(r.args, `${p}.args`, out);
  for (const k of ['includes', 'excludes'] as const) if (r[k] !== undefined) condition(r[k], `${p}.${k}`, out);
}

function args(v: unknown, p: string, out: string[]): void {
  if (!Array.isArray(v)) { out.push(`${p}: must be a list of {index, value, op}`); return; }
  if (v.length > 6) out.push(`${p}: a syscall has at most 6 arguments`);
  v.forEach((a, i) => {
    const ap = `${p}[${i}]`;
    if (!isObj(a)) { out.push(`${ap}: must be an object {index, value, op}`); return; }
    unknownKeys(a, ARG_KEYS, ap, out);
    if (!Number.isInteger(a.index) || (a.index as number) < 0 || (a.index as number) > 5) out.push(`${ap}.index: must be 0 to 5`);
    for (const k of ['value', 'valueTwo'] as const) {
      const n = a[k];
      if (n === undefined && k === 'valueTwo') continue;
      if (!Number.isSafeInteger(n) || (n as number) < 0) out.push(`${ap}.${k}: must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}`);
    }
    if (typeof a.op !== 'string' || !SECCOMP_OPS.includes(a.op)) out.push(`${ap}.op: unknown operator ${JSON.stringify(a.op)}: use one of ${list(SECCOMP_OPS)}`);
  });
}

function condition(v: unknown, p: string, out: string[]): void {
  if (!isObj(v)) { out.push(`${p}: must be an object {caps, arches, minKernel}`); return; }
  unknownKeys(v, COND_KEYS, p, out);
  if (v.caps !== undefined && v.caps !== null) {
    strings(v.caps, `${p}.caps`, out, (c, cp) => { if (!/^CAP_[A-Z_]+$/.test(c)) out.push(`${cp}: "${c}" is not a capability name such as CAP_SYS_ADMIN`); });
  }
  if (v.arches !== undefined && v.arches !== null) {
    strings(v.arches, `${p}.arches`, out, (a, ap) => { if (!SECCOMP_NATIVE_ARCHES.includes(a)) out.push(`${ap}: unknown architecture "${a}": use one of ${list(SECCOMP_NATIVE_ARCHES)}`); });
  }
  if (v.minKernel !== undefined && v.minKernel !== null && (typeof v.minKernel !== 'string' || !/^[0-9]+\.[0-9]+(\.[0-9]+)?$/.test(v.minKernel))) {
    out.push(`${p}.minKernel: must be a kernel version such as "4.8"`);
  }
}
