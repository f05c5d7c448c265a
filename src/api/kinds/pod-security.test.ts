import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { podKind } from './pod.js';
import type { Pod } from '../pod.js';
import type { FieldCause } from '../errors.js';
import { parseSeccompProfile, seccompProfileProblems } from '../seccomp-profile.js';

const DENY_MKDIR = '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO"}]}';

function pod(tweak: (p: Pod) => void = () => {}): Pod {
  const p: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
  tweak(p);
  return p;
}
const c0 = (p: Pod) => p.spec.containers[0]!;

describe('Pod seccompProfile and appArmorProfile', () => {
  test('valid choices, on the container or the pod, with an inline Localhost profile', () => {
    const good = pod((p) => {
      p.metadata.annotations = { 'seccomp.lantern.dev/c': DENY_MKDIR };
      p.spec.securityContext = { seccompProfile: { type: 'RuntimeDefault' }, appArmorProfile: { type: 'Unconfined' } };
      c0(p).securityContext = { seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/deny-mkdir.json' },
        appArmorProfile: { type: 'Localhost', localhostProfile: 'my-profile' }, allowPrivilegeEscalation: false, capabilities: { add: ['SYS_PTRACE'] } };
    });
    assert.deepEqual(podKind.validate(good), []);
  });

  const bad: Array<[string, (p: Pod) => void, FieldCause]> = [
    ['Localhost without a name', (p) => { c0(p).securityContext = { seccompProfile: { type: 'Localhost' } }; },
      { field: 'spec.containers[0].securityContext.seccompProfile.localhostProfile', message: 'must be set when seccomp type is Localhost' }],
    ['a name without Localhost', (p) => { p.spec.securityContext = { appArmorProfile: { type: 'RuntimeDefault', localhostProfile: 'x' } }; },
      { field: 'spec.securityContext.appArmorProfile.localhostProfile', message: 'can only be set when AppArmor type is Localhost' }],
    ['an absolute seccomp path', (p) => { c0(p).securityContext = { seccompProfile: { type: 'Localhost', localhostProfile: '/etc/p.json' } }; },
      { field: 'spec.containers[0].securityContext.seccompProfile.localhostProfile', message: "must be a relative path (below the node's seccomp directory)" }],
    ['a seccomp path that climbs out', (p) => { c0(p).securityContext = { seccompProfile: { type: 'Localhost', localhostProfile: 'a/../../p.json' } }; },
      { field: 'spec.containers[0].securityContext.seccompProfile.localhostProfile', message: "must not contain '..'" }],
    ['an AppArmor name with a newline', (p) => { c0(p).securityContext = { appArmorProfile: { type: 'Localhost', localhostProfile: 'a\nchangeprofile b' } }; },
      { field: 'spec.containers[0].securityContext.appArmorProfile.localhostProfile', message: 'must be the name of an AppArmor profile loaded on the node (printable, no spaces or quotes, at most 255 characters)' }],
    ['an inline profile for no container', (p) => { p.metadata.annotations = { 'seccomp.lantern.dev/other': DENY_MKDIR }; },
      { field: 'metadata.annotations[seccomp.lantern.dev/other]', message: 'names no container of this pod: the key is seccomp.lantern.dev/<container name>' }],
    ['an inline profile for a container that is not Localhost', (p) => { p.metadata.annotations = { 'seccomp.lantern.dev/c': DENY_MKDIR }; },
      { field: 'metadata.annotations[seccomp.lantern.dev/c]', message: "an inline seccomp profile needs the container's securityContext.seccompProfile to be {type: Localhost, localhostProfile: NAME}" }],
    ['an inline profile that is not JSON', (p) => {
      p.metadata.annotations = { 'seccomp.lantern.dev/c': '{nope' };
      c0(p).securityContext = { seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } };
    }, { field: 'metadata.annotations[seccomp.lantern.dev/c]', message: `Decoding seccomp profile in seccomp.lantern.dev/c failed: ${jsonError('{nope')}` }],
  ];
  for (const [what, tweak, cause] of bad) {
    test(`refused: ${what}`, () => assert.deepEqual(podKind.validate(pod(tweak)), [cause]));
  }

  test('an inline profile cannot change once the pod exists', () => {
    const before = pod((p) => {
      p.metadata.annotations = { 'seccomp.lantern.dev/c': DENY_MKDIR };
      c0(p).securityContext = { seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } };
    });
    const after = structuredClone(before);
    after.metadata.annotations = { 'seccomp.lantern.dev/c': '{"defaultAction":"SCMP_ACT_ALLOW"}', 'lantern.dev/run-state': 'stopped' };
    assert.deepEqual(podKind.validateUpdate?.(before, after).map((c) => c.field), ['metadata.annotations[seccomp.lantern.dev/c]']);
    const stopped = structuredClone(before);
    stopped.metadata.annotations = { ...before.metadata.annotations, 'lantern.dev/run-state': 'stopped' };
    assert.deepEqual(podKind.validateUpdate?.(before, stopped), []);
  });
});

function jsonError(text: string): string {
  try { JSON.parse(text); } catch (e) { return (e as Error).message; }
  return '';
}

describe('seccomp profile checks (CLI, API server and node share them)', () => {
  test('every problem is named with its path', () => {
    assert.deepEqual(seccompProfileProblems({
      defaultAction: 'SCMP_ACT_ERRNO', defaultErrnoRet: -1, architectures: ['SCMP_ARCH_Z80'], flags: ['SECCOMP_FILTER_FLAG_LOG'], bogus: 1,
      syscalls: [
        { names: ['mkdir'], name: 'rmdir', action: 'SCMP_ACT_ALLOW' },
        { names: ['Bad Name'], action: 'SCMP_ACT_ERRNO', errnoRet: 5000 },
        { names: ['ptrace'], action: 'SCMP_ACT_ALLOW', args: [{ index: 7, value: -1, op: 'SCMP_CMP_SOMETIMES' }], includes: { caps: ['sys_admin'], arches: ['z80'], minKernel: 'new' } },
        { action: 'SCMP_ACT_ALLOW' },
      ],
    }), [
      'bogus: unknown field (known: defaultAction, defaultErrnoRet, architectures, archMap, syscalls, flags)',
      'defaultErrnoRet: must be an errno number from 0 to 4095 (1 is EPERM)',
      'architectures[0]: unknown architecture "SCMP_ARCH_Z80": use one of SCMP_ARCH_X86, SCMP_ARCH_X86_64, SCMP_ARCH_X32, SCMP_ARCH_ARM, SCMP_ARCH_AARCH64, SCMP_ARCH_MIPS, SCMP_ARCH_MIPS64, SCMP_ARCH_MIPS64N32, SCMP_ARCH_MIPSEL, SCMP_ARCH_MIPSEL64, SCMP_ARCH_MIPSEL64N32, SCMP_ARCH_PPC, SCMP_ARCH_PPC64, SCMP_ARCH_PPC64LE, SCMP_ARCH_S390, SCMP_ARCH_S390X, SCMP_ARCH_RISCV64, SCMP_ARCH_LOONGARCH64',
      'flags: seccomp flags are not supported by the runtime (runc 1.1): remove them',
      "syscalls[0]: both 'name' and 'names' are specified in the seccomp profile, use either 'name' or 'names'",
      'syscalls[1].names[0]: "Bad Name" is not a syscall name',
      'syscalls[1].errnoRet: must be an errno number from 0 to 4095 (1 is EPERM)',
      'syscalls[2].args[0].index: must be 0 to 5',
      'syscalls[2].args[0].value: must be an integer from 0 to 9007199254740991',
      'syscalls[2].args[0].op: unknown operator "SCMP_CMP_SOMETIMES": use one of SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_EQ, SCMP_CMP_GE, SCMP_CMP_GT, SCMP_CMP_MASKED_EQ',
      'syscalls[2].includes.caps[0]: "sys_admin" is not a capability name such as CAP_SYS_ADMIN',
      'syscalls[2].includes.arches[0]: unknown architecture "z80": use one of amd64, x86, x32, arm, arm64, ppc, ppc64, ppc64le, s390, s390x, riscv64, loongarch64, mips, mipsel, mips64, mipsel64, mips64n32, mipsel64n32, mips3l64n32',
      'syscalls[2].includes.minKernel: must be a kernel version such as "4.8"',
      'syscalls[3].names: required, a list of syscall names',
    ]);
  });

  test('both architectures and archMap are refused with Docker\'s words; size is bounded before parsing', () => {
    assert.throws(() => parseSeccompProfile(JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', architectures: ['SCMP_ARCH_X86_64'], archMap: [{ architecture: 'SCMP_ARCH_X86_64', subArchitectures: null }] })),
      /both 'architectures' and 'archMap' are specified in the seccomp profile, use either 'architectures' or 'archMap'/);
    assert.throws(() => parseSeccompProfile(' '.repeat(70_000)), /is 70000 bytes, over the limit of 65536/);
    assert.throws(() => parseSeccompProfile('[]'), /the profile must be a JSON object/);
  });
});
