import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkIntOrPercent, resolveFenceposts, scaledValue } from './intstr.js';

test('maxSurge percentages round up and maxUnavailable percentages round down, as Kubernetes', () => {
  assert.deepEqual(resolveFenceposts('25%', '25%', 10), { surge: 3, unavailable: 2 });
  assert.deepEqual(resolveFenceposts('25%', '25%', 1), { surge: 1, unavailable: 0 });
  assert.deepEqual(resolveFenceposts('25%', '0%', 100), { surge: 25, unavailable: 0 });
  assert.deepEqual(resolveFenceposts(2, 1, 5), { surge: 2, unavailable: 1 });
});

test('when both resolve to 0 maxUnavailable becomes 1, so a rollout can always move', () => {
  assert.deepEqual(resolveFenceposts('10%', '10%', 0), { surge: 0, unavailable: 1 });
  assert.deepEqual(resolveFenceposts(0, '20%', 3), { surge: 0, unavailable: 1 });
});

test('int-or-percent values are checked: "25%" and 3 are fine, "25" and "a%" name what is wrong', () => {
  assert.equal(checkIntOrPercent('25%'), undefined);
  assert.equal(checkIntOrPercent(3), undefined);
  assert.match(checkIntOrPercent('25') ?? '', /must be an integer or percentage/);
  assert.match(checkIntOrPercent('a%') ?? '', /invalid value "a%"/);
  assert.equal(scaledValue('50%', 3, true), 2);
  assert.equal(scaledValue('50%', 3, false), 1);
});
