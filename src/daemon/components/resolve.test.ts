import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { key, type Component, type Key } from './component.js';
import { ComponentGraphError, startOrder } from './resolve.js';

interface Config { on: Set<string> }
const k = (id: string): Key<string> => key<string>(id);
/** A component `id` requiring `requires`, always on unless `extra` says otherwise. */
function part(id: string, requires: string[] = [], extra: Partial<Component<Config, string>> = {}): Component<Config, string> {
  return { key: k(id), requires: requires.map(k), start: () => ({ value: id }), ...extra };
}
const ids = (list: readonly Component<Config, unknown>[], on: string[] = []): string[] => startOrder(list, { on: new Set(on) }).map((c) => c.key.id);
const optionalOff = (id: string, requires: string[] = []): Component<Config, string> => part(id, requires, { enabled: (c) => c.on.has(id) });

describe('startOrder', () => {
  test('keeps list order where requirements allow, and puts what is required first', () => {
    assert.deepEqual(ids([part('a'), part('b'), part('c')]), ['a', 'b', 'c']);
    assert.deepEqual(ids([part('http', ['api']), part('api', ['store']), part('store'), part('log')]), ['store', 'api', 'http', 'log']);
  });

  test('a component that is off is left out; optional ones start first only when on', () => {
    const list = [part('http', [], { optional: [k('audit')] }), optionalOff('audit')];
    assert.deepEqual(ids(list), ['http']);
    assert.deepEqual(ids(list, ['audit']), ['audit', 'http']);
  });

  test('a missing requirement names the component, what it requires and what is known', () => {
    assert.throws(() => ids([part('a', ['nope']), part('b')]),
      (e: unknown) => e instanceof ComponentGraphError && e.message === 'component "a" requires "nope", which no component provides (known: a, b)');
  });

  test('a missing requirement is refused even when the component needing it is off', () => {
    assert.throws(() => ids([optionalOff('a', ['nope'])]), /component "a" requires "nope", which no component provides/);
  });

  test('a requirement that is off for this config is refused by name', () => {
    assert.throws(() => ids([part('mirror', ['node']), optionalOff('node')]),
      (e: unknown) => e instanceof ComponentGraphError && e.message === 'component "mirror" requires "node", which is off with this configuration');
    assert.deepEqual(ids([part('mirror', ['node']), optionalOff('node')], ['node']), ['node', 'mirror']);
  });

  test('a cycle is refused, naming the circle', () => {
    assert.throws(() => ids([part('a', ['b']), part('b', ['c']), part('c', ['a'])]),
      (e: unknown) => e instanceof ComponentGraphError && e.message === 'components require each other in a circle: a -> b -> c -> a');
    assert.throws(() => ids([part('self', ['self'])]), /circle: self -> self/);
    assert.throws(() => ids([part('a', [], { optional: [k('b')] }), optionalOff('b', ['a'])]), /circle: a -> b -> a/);
  });

  test('the same id twice is refused', () => {
    assert.throws(() => ids([part('a'), part('a')]), (e: unknown) => e instanceof ComponentGraphError && /component "a" is declared twice/.test(e.message));
  });
});
