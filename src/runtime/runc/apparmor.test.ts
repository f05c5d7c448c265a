import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '../../api/errors.js';
import { AppArmorSupport, DEFAULT_APPARMOR_PROFILE, type AppArmorPaths } from './apparmor.js';
import { renderAppArmorProfile } from './apparmor-profile.js';

describe('the lantern-default AppArmor profile', () => {
  test("is Docker's docker-default under Lantern's name", () => {
    const text = renderAppArmorProfile({ name: 'lantern-default', daemonProfile: 'lanternd', abi3: true, tunables: true, base: true });
    assert.match(text, /^abi <abi\/3\.0>,\n#include <tunables\/global>\n/m);
    assert.match(text, /^profile "lantern-default" flags=\(attach_disconnected,mediate_deleted\) \{\n  #include <abstractions\/base>\n/m);
    for (const rule of ['network,', 'deny network alg,', 'capability,', 'file,', 'umount,', 'deny mount,', 'signal (receive) peer=unconfined,',
      'signal (receive) peer=runc,', 'signal (receive) peer="lanternd",', 'signal (send,receive) peer="lantern-default",',
      'deny @{PROC}/sysrq-trigger rwklx,', 'deny @{PROC}/kcore rwklx,', 'deny /sys/firmware/** rwklx,', 'deny /sys/kernel/security/** rwklx,',
      'ptrace (trace,tracedby,read,readby) peer="lantern-default",']) {
      assert.ok(text.includes(`\n  ${rule}`), rule);
    }
    assert.doesNotMatch(text, /\{\{/);
  });

  test('without /etc/apparmor.d it defines @{PROC} itself and peers with unconfined', () => {
    const text = renderAppArmorProfile({ name: 'lantern-default' });
    assert.match(text, /^@\{PROC\}=\/proc\/$/m);
    assert.doesNotMatch(text, /#include|abi </);
    assert.ok(text.includes('signal (receive) peer="unconfined",'));
  });

  test('compiles with apparmor_parser (scripts/setup installs Debian\'s apparmor package)', () => {
    const support = new AppArmorSupport(() => undefined);
    for (const text of [support.defaultProfileText(), renderAppArmorProfile({ name: 'lantern-default' })]) {
      // -Q: parse and compile only, load nothing (this kernel may have no AppArmor); -K: no cache.
      const r = spawnSync('apparmor_parser', ['-Q', '-K'], { input: text, encoding: 'utf8' });
      assert.equal(r.error, undefined, 'apparmor_parser is installed');
      assert.equal(r.status, 0, r.stderr);
    }
  });
});

describe('AppArmorSupport (which profile a container runs under)', () => {
  let dir: string;
  let paths: AppArmorPaths;
  const logs: string[] = [];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lantern-aa-'));
    // A stand-in for apparmor_parser: records its arguments and the profile it was given.
    const parser = join(dir, 'apparmor_parser');
    await writeFile(parser, `#!/bin/sh\necho "$@" >> ${dir}/calls\ncat > ${dir}/loaded\n[ ! -e ${dir}/fail ] || { echo "syntax error in profile" >&2; exit 1; }\n`);
    await chmod(parser, 0o755);
    await writeFile(join(dir, 'enabled'), 'Y\n');
    await writeFile(join(dir, 'profiles'), 'my-profile (enforce)\n/usr/bin/thing (complain)\n');
    await mkdir(join(dir, 'etc'));
    paths = { enabledFile: join(dir, 'enabled'), profilesFile: join(dir, 'profiles'), parsers: ['/nonexistent/apparmor_parser', parser],
      configDir: join(dir, 'etc'), selfLabelFile: join(dir, 'no-label') };
  });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  test('on an AppArmor host: the default profile is loaded once (apparmor_parser -Kr) and applied to every container', async () => {
    const aa = new AppArmorSupport((m) => logs.push(m), paths);
    assert.equal(await aa.profileFor(undefined, false), DEFAULT_APPARMOR_PROFILE);
    assert.equal(await aa.profileFor({ type: 'RuntimeDefault' }, false), DEFAULT_APPARMOR_PROFILE);
    assert.equal(await readFile(join(dir, 'calls'), 'utf8'), '-Kr\n');
    assert.equal(await readFile(join(dir, 'loaded'), 'utf8'), aa.defaultProfileText());
    assert.deepEqual(logs, []);
  });

  test('Unconfined and privileged run unconfined; Localhost must name a loaded profile', async () => {
    const aa = new AppArmorSupport((m) => logs.push(m), paths);
    assert.equal(await aa.profileFor({ type: 'Unconfined' }, false), 'unconfined');
    assert.equal(await aa.profileFor(undefined, true), 'unconfined');
    assert.equal(await aa.profileFor({ type: 'Localhost', localhostProfile: 'my-profile' }, false), 'my-profile');
    assert.equal(await aa.profileFor({ type: 'Localhost', localhostProfile: '/usr/bin/thing' }, true), '/usr/bin/thing');
    await assert.rejects(aa.profileFor({ type: 'Localhost', localhostProfile: 'missing' }, false),
      /AppArmor profile "missing" is not loaded on this node: load it with apparmor_parser -r FILE/);
  });

  test('a profile apparmor_parser refuses fails the container with its message, and is tried again next time', async () => {
    await writeFile(join(dir, 'fail'), '');
    const aa = new AppArmorSupport((m) => logs.push(m), paths);
    await assert.rejects(aa.profileFor(undefined, false), (e: Error) => e instanceof ApiError && e.code === 'Internal'
      && /the lantern-default profile could not be loaded: .*syntax error in profile/.test(e.message));
    await rm(join(dir, 'fail'));
    assert.equal(await aa.profileFor(undefined, false), DEFAULT_APPARMOR_PROFILE);
  });

  test('without AppArmor: no profile, said once in the log; Localhost is refused', async () => {
    const said: string[] = [];
    const none = new AppArmorSupport((m) => said.push(m), { ...paths, enabledFile: join(dir, 'no-such-file') });
    assert.equal(await none.profileFor(undefined, false), undefined);
    assert.equal(await none.profileFor({ type: 'Unconfined' }, true), undefined);
    await assert.rejects(none.profileFor({ type: 'Localhost', localhostProfile: 'my-profile' }, false), /but this node cannot apply it: the kernel has no AppArmor/);
    assert.deepEqual(said, [`AppArmor: the kernel has no AppArmor (${join(dir, 'no-such-file')} does not exist); containers run without an AppArmor profile`]);
    const noParser = new AppArmorSupport((m) => said.push(m), { ...paths, parsers: ['/nonexistent/apparmor_parser'] });
    assert.equal(await noParser.profileFor(undefined, false), undefined);
    assert.match(said[1] ?? '', /apparmor_parser is not installed \(apt-get install apparmor\)/);
  });
});
