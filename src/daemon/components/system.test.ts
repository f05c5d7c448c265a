import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { key, started, type Component } from './component.js';
import { startSystem } from './system.js';

/** A component that records its start and stop in `events`. */
function recorded(events: string[], id: string, requires: string[] = [], opts: { failStart?: boolean; failStop?: boolean } = {}): Component<object, string> {
  return {
    key: key<string>(id),
    requires: requires.map((r) => key<string>(r)),
    async start() {
      await Promise.resolve();
      if (opts.failStart) throw new Error(`${id} cannot start`);
      events.push(`start ${id}`);
      return { value: `${id}-value`, stop: async () => { events.push(`stop ${id}`); if (opts.failStop) throw new Error('disk gone'); } };
    },
  };
}

describe('startSystem', () => {
  test('starts in dependency order, hands values to what requires them, and stops in reverse, once', async () => {
    const events: string[] = [];
    const seen: string[] = [];
    const user: Component<object, void> = {
      key: key<void>('user'),
      requires: [key<string>('store')],
      start: ({ get }) => { seen.push(get(key<string>('store'))); return { value: undefined }; },
    };
    const system = await startSystem([recorded(events, 'api', ['store']), user, recorded(events, 'store')], {});
    assert.deepEqual(system.ids, ['store', 'api', 'user']);
    assert.deepEqual(seen, ['store-value']);
    assert.equal(system.get(key<string>('api')), 'api-value');
    await Promise.all([system.stop(), system.stop()]);
    await system.stop();
    assert.deepEqual(events, ['start store', 'start api', 'stop api', 'stop store']);
  });

  test('a start that fails stops what already started, in reverse, and the error comes out', async () => {
    const events: string[] = [];
    await assert.rejects(startSystem([recorded(events, 'a'), recorded(events, 'b'), recorded(events, 'c', [], { failStart: true }), recorded(events, 'd')], {}), /c cannot start/);
    assert.deepEqual(events, ['start a', 'start b', 'stop b', 'stop a']);
  });

  test('a stop that fails is logged and the others still stop', async () => {
    const events: string[] = [];
    const logged: string[] = [];
    const system = await startSystem([recorded(events, 'a'), recorded(events, 'b', [], { failStop: true })], {}, { log: (m) => logged.push(m) });
    await system.stop();
    assert.deepEqual(events, ['start a', 'start b', 'stop b', 'stop a']);
    assert.deepEqual(logged, ['component b: stop failed: disk gone']);
  });

  test('ready() is false while starting, true once all started, false from the moment stopping begins', async () => {
    const readings: boolean[] = [];
    let ready = (): boolean => false;
    const probe: Component<object, void> = { key: key<void>('probe'), requires: [], start: (ctx) => { ready = ctx.ready; readings.push(ctx.ready()); return { value: undefined, stop: () => { readings.push(ready()); } }; } };
    const system = await startSystem([probe], {});
    readings.push(ready());
    await system.stop();
    assert.deepEqual(readings, [false, true, false]);
  });

  test('get refuses a key the component did not require; optional gives undefined for one that is off', async () => {
    const sneaky: Component<object, void> = { key: key<void>('sneaky'), requires: [], start: ({ get }) => { get(key<string>('store')); return { value: undefined }; } };
    await assert.rejects(startSystem([recorded([], 'store'), sneaky], {}), /component "sneaky" asked for "store" without listing it in requires/);
    const off: Component<object, string> = { key: key<string>('audit'), requires: [], enabled: () => false, start: () => ({ value: 'audit' }) };
    let got: string | undefined = 'unset';
    const http: Component<object, void> = { key: key<void>('http'), requires: [], optional: [off.key], start: ({ optional }) => { got = optional(off.key); return { value: undefined }; } };
    const system = await startSystem([http, off], {});
    assert.equal(got, undefined);
    assert.throws(() => system.get(off.key), /component "audit" is not running/);
  });

  test('started() runs a thing with start() and stop() and stops it with the system', async () => {
    const calls: string[] = [];
    const thing = { start: async () => { calls.push('start'); }, stop: () => { calls.push('stop'); } };
    const system = await startSystem([{ key: key<typeof thing>('thing'), requires: [], start: () => started(thing) }], {});
    assert.equal(system.get(key<typeof thing>('thing')), thing);
    await system.stop();
    assert.deepEqual(calls, ['start', 'stop']);
  });
});
