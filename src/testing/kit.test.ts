import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from './clock.js';
import { eventually } from './eventually.js';
import { withTestApi } from './api.js';
import { startTestHttpServer } from './http-server.js';
import { NodeRegistry } from '../server/node-registry.js';
import { TokenAuthenticator } from '../server/http/auth.js';

describe('eventually', () => {
  test('returns the first truthy value; a throw counts as not yet', async () => {
    let n = 0;
    const v = await eventually('the third try', () => { n++; if (n < 3) throw new Error('not yet'); return `try ${n}`; }, { intervalMs: 1 });
    assert.equal(v, 'try 3');
  });

  test('on timeout it names what it waited for (read then, when a function) and the last error', async () => {
    let state = 'before';
    const waiting = eventually(() => `the state (now ${state})`, () => { state = 'after'; throw new Error('boom'); }, { timeoutMs: 20, intervalMs: 5 });
    await assert.rejects(waiting, /^Error: timed out waiting for the state \(now after\): boom$/);
  });

  test('abort gives up at once with its reason', async () => {
    const started = Date.now();
    await assert.rejects(eventually('a dead process', () => false, { timeoutMs: 10_000, abort: () => 'it exited with 1' }), /gave up waiting for a dead process: it exited with 1/);
    assert.ok(Date.now() - started < 5_000);
  });
});

describe('ManualClock', () => {
  test('advanceAsync fires due timers step by step and lets the work they start settle in between', async () => {
    const clock = new ManualClock(0);
    const seen: string[] = [];
    // A timer whose work is async and arms the next timer when it is done, as a probe loop does.
    const tick = (): void => { void Promise.resolve().then(() => { seen.push(`tick at ${clock.now()}`); clock.after(100, tick); }); };
    clock.after(100, tick);
    await clock.advanceAsync(350);
    assert.deepEqual(seen, ['tick at 100', 'tick at 200', 'tick at 300']);
    assert.equal(clock.now(), 350);
  });
});

describe('test API and HTTP server', () => {
  test('withTestApi serves a real store; apiWith is a second ApiService over it', async () => {
    await withTestApi(async (t) => {
      await t.api.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared', namespace: 'default' } });
      assert.equal((await t.apiWith({}).get('configmaps', 'shared', 'default')).metadata.name, 'shared');
    });
  });

  test('startTestHttpServer answers on loopback with the options built from its store', async () => {
    const auth = new TokenAuthenticator();
    auth.add('t0ken', { name: 'admin', role: 'admin' });
    const s = await startTestHttpServer((t) => ({ api: t.api, nodes: new NodeRegistry(), auth, version: 'kit' }));
    try {
      assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${s.url}/api/v1/namespaces/default/configmaps`, { headers: { authorization: 'Bearer t0ken' } });
      assert.equal(res.status, 200);
    } finally {
      await s.close();
    }
  });
});
