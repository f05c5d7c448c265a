import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameDecoder } from './attach.js';
import { makeTestEnv, readAll, waitFor, waitStopped, type TestEnv } from './testing.js';

describe('attach frames', () => {
  test('frames split across chunks are reassembled in order', () => {
    const got: Array<[number, string]> = [];
    const d = new FrameDecoder((s, b) => got.push([s, b.toString()]));
    const frame = (s: number, text: string): Buffer => {
      const h = Buffer.alloc(5);
      h[0] = s;
      h.writeUInt32BE(text.length, 1);
      return Buffer.concat([h, Buffer.from(text)]);
    };
    const all = Buffer.concat([frame(2, 'out'), frame(3, 'err'), frame(2, '')]);
    for (let i = 0; i < all.length; i += 3) d.push(all.subarray(i, i + 3));
    assert.deepEqual(got, [[2, 'out'], [3, 'err'], [2, '']]);
  });
});

describe('RuncRuntime attach (real conmon attach socket)', () => {
  let env: TestEnv;
  before(async () => { env = await makeTestEnv('attach'); });
  after(async () => { await env.cleanup(); });

  test('without a terminal: stdin reaches the process, stdout and stderr stay apart', { timeout: 60_000 }, async () => {
    const c = env.config({ args: ['sh', '-c', 'read x; echo "out $x"; echo err >&2; exit 2'], stdin: true });
    await env.runtime.create(c);
    const a = await env.runtime.attach(c.id);
    await env.runtime.start(c.id);
    a.stdin?.end('abc\n');
    const [out, err] = await Promise.all([readAll(a.stdout), readAll(a.stderr), a.closed]);
    assert.equal(out, 'out abc\n');
    assert.equal(err, 'err\n');
    assert.equal((await waitStopped(env.runtime, c.id)).exitCode, 2);
  });

  test('with a terminal: an interactive shell, resize, and its exit code (lcctl run -it)', { timeout: 60_000 }, async () => {
    const c = env.config({ args: ['sh'], terminal: true, stdin: true });
    await env.runtime.create(c);
    const a = await env.runtime.attach(c.id);
    assert.equal(a.stderr, undefined);
    let text = '';
    a.stdout.on('data', (b: Buffer) => { text += b.toString('utf8'); });
    await env.runtime.start(c.id);
    a.resize({ cols: 90, rows: 25 });
    // conmon applies the resize and the input from two different fds: ask until the answer shows it.
    await waitFor(async () => {
      if (/25 90/.test(text)) return true;
      a.stdin?.write('stty size\n');
      return false;
    }, 'stty to print 25 90');
    a.stdin?.write('echo $((6*7))\n');
    await waitFor(async () => /\n42\r?\n/.test(text), 'the shell to answer 42');
    a.stdin?.write('exit 5\n');
    await a.closed;
    assert.equal((await waitStopped(env.runtime, c.id)).exitCode, 5);
  });

  test('attaching before start loses none of a short-lived process\'s output', { timeout: 60_000 }, async () => {
    const c = env.config({ args: ['echo', 'early'] });
    await env.runtime.create(c);
    const a = await env.runtime.attach(c.id);
    assert.equal(a.stdin, undefined);
    await env.runtime.start(c.id);
    assert.equal(await readAll(a.stdout), 'early\n');
    await a.closed;
  });

  test('detach leaves the container running', { timeout: 60_000 }, async () => {
    const c = env.config({ args: ['sleep', '1000'], terminal: true });
    await env.runtime.create(c);
    await env.runtime.start(c.id);
    const a = await env.runtime.attach(c.id);
    a.detach();
    await a.closed;
    assert.equal((await env.runtime.inspect(c.id))?.status, 'running');
  });
});
