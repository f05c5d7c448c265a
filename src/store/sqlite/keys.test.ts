import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prefixEnd } from './keys.js';

test('prefixEnd bounds exactly the keys that start with the prefix', () => {
  assert.equal(prefixEnd(''), undefined);
  assert.equal(prefixEnd('/pods/'), '/pods0');
  assert.equal(prefixEnd('a\u{10FFFF}'), 'b');
  assert.equal(prefixEnd('\u{10FFFF}'), undefined);
  assert.equal(prefixEnd('x\uD7FF'), 'x\uE000');
  assert.equal(prefixEnd('é'), 'ê');
});
