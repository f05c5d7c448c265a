import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration } from './duration.js';

test('parseDuration reads the forms users give flags', () => {
  assert.equal(parseDuration('40s'), 40_000);
  assert.equal(parseDuration('1m30s'), 90_000);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('2h'), 7_200_000);
  assert.equal(parseDuration('10'), 10_000);
  assert.equal(parseDuration('0s'), 0);
  assert.equal(parseDuration('ten'), undefined);
  assert.equal(parseDuration('10x'), undefined);
  assert.equal(parseDuration(''), undefined);
});
