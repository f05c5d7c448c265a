import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveUser } from './image-user.js';

describe('resolveUser over image layers', () => {
  let dir: string;
  let base: string;
  let top: string;
  let empty: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lantern-image-user-'));
    base = join(dir, 'base');
    top = join(dir, 'top');
    empty = join(dir, 'empty');
    await mkdir(join(base, 'etc'), { recursive: true });
    await mkdir(join(top, 'etc'), { recursive: true });
    await mkdir(empty);
    await writeFile(join(base, 'etc/passwd'), [
      'root:x:0:0:root:/root:/bin/sh',
      'daemon:x:1:1:daemon:/usr/sbin:/bin/false',
      'nobody:x:65534:65534:nobody:/nonexistent:/bin/false',
      'app:x:1000:1001:app:/home/app:/bin/sh',
      '',
    ].join('\n'));
    await writeFile(join(base, 'etc/group'), ['root:x:0:', 'nogroup:x:65534:', 'app:x:1001:', 'staff:x:50:app', ''].join('\n'));
    // A later layer replaces /etc/passwd; the top-most copy wins, as overlay shows it.
    await writeFile(join(top, 'etc/passwd'), ['root:x:0:0:root:/root:/bin/sh', 'svc:x:2000:2000::/:/bin/false', ''].join('\n'));
  });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  const cases: [string, string, () => string[], { uid: number; gid: number }][] = [
    ['numeric uid takes its group from passwd', '1000', () => [base], { uid: 1000, gid: 1001 }],
    ['numeric uid unknown to passwd gets gid 0', '4242', () => [base], { uid: 4242, gid: 0 }],
    ['root', '0', () => [base], { uid: 0, gid: 0 }],
    ['uid:gid numeric', '1000:50', () => [base], { uid: 1000, gid: 50 }],
    ['a name', 'nobody', () => [base], { uid: 65534, gid: 65534 }],
    ['name:group', 'app:staff', () => [base], { uid: 1000, gid: 50 }],
    ['name:gid', 'app:7', () => [base], { uid: 1000, gid: 7 }],
    ['uid:group name', '4242:nogroup', () => [base], { uid: 4242, gid: 65534 }],
    ['an empty group part is ignored', 'app:', () => [base], { uid: 1000, gid: 1001 }],
    ['the top-most layer\'s passwd wins', 'svc', () => [top, base], { uid: 2000, gid: 2000 }],
    ['a numeric uid needs no passwd file at all', '33:33', () => [empty], { uid: 33, gid: 33 }],
  ];
  for (const [what, spec, layers, want] of cases) {
    test(`${what} (${JSON.stringify(spec)})`, async () => assert.deepEqual(await resolveUser(spec, layers()), want));
  }

  test('an unknown user name is an error that names it', async () => {
    await assert.rejects(resolveUser('ghost', [base]), { message: 'unable to find user ghost: no matching entries in passwd file' });
    await assert.rejects(resolveUser('app', [top]), /unable to find user app/, 'a user hidden by a newer passwd is gone');
    await assert.rejects(resolveUser('nobody', [empty]), /unable to find user nobody/);
  });

  test('an unknown group name is an error that names it', async () => {
    await assert.rejects(resolveUser('app:ghosts', [base]), { message: 'unable to find group ghosts: no matching entries in group file' });
  });
});
