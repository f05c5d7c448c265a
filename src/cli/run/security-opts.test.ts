import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/pod.js';
import { parseArgs } from '../args.js';
import { runSpec } from './flags.js';
import { buildRunPod, type RunEnv } from './pod.js';

const files: Record<string, string> = {
  '/p/deny-mkdir.json': '{\n  "defaultAction": "SCMP_ACT_ALLOW",\n  "syscalls": [ { "names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO" } ]\n}\n',
  '/p/broken.json': '{"defaultAction": ',
  '/p/bad-action.json': '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_DENY"}]}',
  '/p/notify.json': '{"defaultAction":"SCMP_ACT_NOTIFY"}',
  '/p/huge.json': JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: Array.from({ length: 9000 }, (_, i) => `call_${i}`), action: 'SCMP_ACT_ERRNO' }] }),
};
const env: RunEnv = {
  env: {}, cwd: '/work', generateName: () => 'sec-test',
  readFile: (path) => { const f = files[path]; if (f === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`); return f; },
};
const build = (...argv: string[]): Pod => buildRunPod(parseArgs(runSpec, [...argv, 'busybox']), env);
const sc = (p: Pod) => p.spec.containers[0]?.securityContext;

describe('lcctl run --security-opt', () => {
  test("by default a container may gain privileges (Docker's default); no-new-privileges turns that off", () => {
    assert.equal(sc(build())?.allowPrivilegeEscalation, true);
    assert.equal(sc(build('--security-opt', 'no-new-privileges'))?.allowPrivilegeEscalation, false);
    assert.equal(sc(build('--security-opt', 'no-new-privileges=true'))?.allowPrivilegeEscalation, false);
    assert.equal(sc(build('--security-opt', 'no-new-privileges:false'))?.allowPrivilegeEscalation, true);
  });

  test('seccomp=unconfined and builtin choose the profile type; nothing is sent inline', () => {
    const open = build('--cap-add', 'SYS_PTRACE', '--security-opt', 'seccomp=unconfined');
    assert.deepEqual(sc(open)?.seccompProfile, { type: 'Unconfined' });
    assert.deepEqual(sc(open)?.capabilities, { add: ['SYS_PTRACE'] });
    assert.deepEqual(sc(build('--security-opt', 'seccomp:unconfined'))?.seccompProfile, { type: 'Unconfined' });
    assert.deepEqual(sc(build('--security-opt', 'seccomp=builtin'))?.seccompProfile, { type: 'RuntimeDefault' });
    assert.deepEqual(Object.keys(open.metadata.annotations ?? {}), ['lantern.dev/docker-run']);
  });

  test('seccomp=FILE: the CLI reads the profile and sends it compacted, as a Localhost profile of the container', () => {
    const pod = build('--security-opt', 'seccomp=/p/deny-mkdir.json');
    assert.deepEqual(sc(pod)?.seccompProfile, { type: 'Localhost', localhostProfile: 'deny-mkdir.json' });
    assert.equal(pod.metadata.annotations?.['seccomp.lantern.dev/sec-test'],
      '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO"}]}');
    // A later option wins, and takes the inline profile away with it.
    const later = build('--security-opt', 'seccomp=/p/deny-mkdir.json', '--security-opt', 'seccomp=unconfined');
    assert.equal(later.metadata.annotations?.['seccomp.lantern.dev/sec-test'], undefined);
  });

  test('apparmor=unconfined, the default profile by name, or a profile loaded on the node', () => {
    assert.deepEqual(sc(build('--security-opt', 'apparmor=unconfined'))?.appArmorProfile, { type: 'Unconfined' });
    assert.deepEqual(sc(build('--security-opt', 'apparmor=docker-default'))?.appArmorProfile, { type: 'RuntimeDefault' });
    assert.deepEqual(sc(build('--security-opt', 'apparmor=my-profile'))?.appArmorProfile, { type: 'Localhost', localhostProfile: 'my-profile' });
  });

  const refused: Array<[string, RegExp]> = [
    ['seccomp', /^Invalid --security-opt: "seccomp": use seccomp=unconfined\|builtin\|PROFILE\.json/],
    ['seccomp=', /^Invalid --security-opt: "seccomp="/],
    ['nosuchopt=1', /^invalid --security-opt 2: "nosuchopt=1"/],
    ['no-new-privileges=maybe', /^invalid --security-opt 2: "no-new-privileges=maybe": no-new-privileges takes true or false/],
    ['label=type:svirt_t', /no SELinux support/],
    ['seccomp=/p/missing.json', /^opening seccomp profile \(\/p\/missing\.json\) failed: ENOENT/],
    ['seccomp=/p/broken.json', /^compacting json for seccomp profile \(\/p\/broken\.json\) failed: /],
    ['seccomp=/p/bad-action.json', /^invalid seccomp profile \/p\/bad-action\.json: syscalls\[0\]\.action: unknown action "SCMP_ACT_DENY"/],
    ['seccomp=/p/notify.json', /SCMP_ACT_NOTIFY needs a seccomp listener/],
    ['seccomp=/p/huge.json', /bytes, over the limit of 65536/],
  ];
  for (const [opt, error] of refused) {
    test(`refused before anything is created: --security-opt ${opt}`, () => {
      assert.throws(() => build('--security-opt', opt), (e: Error) => e.name === 'UsageError' && error.test(e.message));
    });
  }
});
