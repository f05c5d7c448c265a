import { test } from 'node:test';
import assert from 'node:assert/strict';
import { progressLine } from './progress.js';

test('progress line: bar, done and total', () => {
  assert.equal(progressLine('Loading', 50, 100, 10), 'Loading  [=====>    ]  50B/100B');
  assert.equal(progressLine('Loading', 100, 100, 10), 'Loading  [==========]  100B/100B');
  assert.equal(progressLine('Loading', 2_000_000, undefined), 'Loading  2MB');
});
