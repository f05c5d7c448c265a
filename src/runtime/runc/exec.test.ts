import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execExitCode } from './exec.js';
import { makeTestEnv, readAll, waitFor, type TestEnv } from './testing.js';

describe('RuncRuntime exec (real runc)', () => {
  let env: TestEnv;
  let id: string;
  before(async () => {
    env = await makeTestEnv('exec');
    const c = env.config({ args: ['sleep', '1000'], env: ['FROM_IMAGE=yes'] });
    id = c.id;
    await env.runtime.create(c);
    await env.runtime.start(id);
  });
  after(async () => { await env.cleanup(); });

  test('returns stdout, stderr and the exit code, with env, cwd and user applied', async () => {
    const s = await env.runtime.exec(id, {
      cmd: ['sh', '-c', 'echo "$FROM_IMAGE $EXTRA $(pwd) $(id -u):$(id -g)"; echo warn >&2; exit 4'],
      env: ['EXTRA=more'], cwd: '/tmp', user: { uid: 65534, gid: 65534 },
    });
    const [out, err, code] = await Promise.all([readAll(s.stdout), readAll(s.stderr), s.exit]);
    assert.equal(out, 'yes more /tmp 65534:65534\n');
    assert.equal(err, 'warn\n');
    assert.equal(code, 4);
  });

  test("a missing command exits 127 and a non-executable file 126, as Docker's", async () => {
    const missing = await env.runtime.exec(id, { cmd: ['no-such-command'] });
    const [, missingErr, missingCode] = await Promise.all([readAll(missing.stdout), readAll(missing.stderr), missing.exit]);
    assert.equal(missingCode, 127);
    assert.match(missingErr, /no-such-command/);
    const denied = await env.runtime.exec(id, { cmd: ['/etc/passwd'] });
    assert.equal(await denied.exit, 126);
    assert.equal(execExitCode(255, 'something else'), 255);
  });

  test('stdin is passed to the process', async () => {
    const s = await env.runtime.exec(id, { cmd: ['tr', 'a-z', 'A-Z'], stdin: true });
    s.stdin?.end('hello\n');
    const [out, code] = await Promise.all([readAll(s.stdout), s.exit]);
    assert.equal(out, 'HELLO\n');
    assert.equal(code, 0);
  });

  test('kill ends the exec process itself', async () => {
    const s = await env.runtime.exec(id, { cmd: ['sleep', '1000'] });
    const out = readAll(s.stdout);
    s.kill();
    assert.equal(await s.exit, 137);
    await out;
  });

  test('with a tty the process runs on a /dev/pts terminal of the requested size, and resize reaches it', { timeout: 60_000 }, async () => {
    const s = await env.runtime.exec(id, {
      cmd: ['sh', '-c', 'tty; while read x; do stty size; done'], tty: true, stdin: true, size: { cols: 100, rows: 30 },
    });
    assert.equal(s.stderr, undefined);
    let text = '';
    s.stdout.on('data', (b: Buffer) => { text += b.toString('utf8'); });
    // runc applies a size asynchronously (on SIGWINCH): press Enter until stty reports the size we expect.
    const sizeIs = (re: RegExp): Promise<void> => waitFor(async () => {
      if (re.test(text)) return true;
      s.stdin?.write('\r');
      return false;
    }, `stty to print ${re}`);
    await sizeIs(/30 100/);
    assert.match(text, /\/dev\/pts\/\d+/);
    s.resize({ cols: 120, rows: 40 });
    await sizeIs(/40 120/);
    s.stdin?.write('\x04');
    assert.equal(await s.exit, 0);
  });

  test('exec into a container that is not running is refused', async () => {
    const c = env.config({ args: ['true'] });
    await env.runtime.create(c);
    await assert.rejects(env.runtime.exec(c.id, { cmd: ['true'] }), /not running/);
    await assert.rejects(env.runtime.exec('f'.repeat(64), { cmd: ['true'] }), /not found/);
  });
});
