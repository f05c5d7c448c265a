import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedHeap } from './heap.js';

const drain = (h: KeyedHeap<number>): number[] => {
  const out: number[] = [];
  for (let v = h.pop(); v !== undefined; v = h.pop()) out.push(v);
  return out;
};

describe('KeyedHeap', () => {
  test('pops in order whatever the insertion order', () => {
    const h = new KeyedHeap<number>((a, b) => a < b);
    const values = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1009);
    values.forEach((v, i) => h.set(`k${i}`, v));
    assert.deepEqual(drain(h), [...values].sort((a, b) => a - b));
  });

  test('setting a key again replaces its value and moves it', () => {
    const h = new KeyedHeap<number>((a, b) => a < b);
    for (const [k, v] of [['a', 5], ['b', 3], ['c', 8]] as const) h.set(k, v);
    h.set('c', 1);
    h.set('b', 9);
    assert.equal(h.size, 3);
    assert.deepEqual(drain(h), [1, 5, 9]);
  });

  test('delete removes any element and keeps the rest ordered', () => {
    const h = new KeyedHeap<number>((a, b) => a < b);
    for (let i = 0; i < 100; i++) h.set(`k${i}`, (i * 37) % 101);
    for (let i = 0; i < 100; i += 3) assert.equal(h.delete(`k${i}`), true);
    assert.equal(h.delete('k0'), false);
    const expected = Array.from({ length: 100 }, (_, i) => i).filter((i) => i % 3 !== 0).map((i) => (i * 37) % 101).sort((a, b) => a - b);
    assert.deepEqual(drain(h), expected);
    assert.equal(h.has('k1'), false);
  });
});
