import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dockerDuration, dockerAgo, dockerTimestamp, parseDuration } from './durations.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('Docker durations', () => {
  const cases: [number, string][] = [
    [500, 'Less than a second'], [1 * s, '1 second'], [5 * s, '5 seconds'], [59 * s, '59 seconds'],
    [60 * s, 'About a minute'], [119 * s, 'About a minute'], [2 * m, '2 minutes'], [59 * m, '59 minutes'],
    [60 * m, 'About an hour'], [89 * m, 'About an hour'], [2 * h, '2 hours'], [47 * h, '47 hours'],
    [2 * d, '2 days'], [13 * d, '13 days'], [14 * d, '2 weeks'], [59 * d, '8 weeks'], [60 * d, '2 months'],
    [729 * d, '24 months'], [730 * d, '2 years'],
  ];
  for (const [ms, text] of cases) test(`${ms} ms -> ${text}`, () => assert.equal(dockerDuration(ms), text));
  test('"ago" form and unknown times', () => {
    const now = Date.parse('2024-05-01T12:00:05Z');
    assert.equal(dockerAgo('2024-05-01T12:00:00Z', now), '5 seconds ago');
    assert.equal(dockerAgo(undefined, now), '');
  });
});

describe('timestamps and durations', () => {
  test("Docker's CreatedAt", () => assert.equal(dockerTimestamp('2024-01-02T15:04:05Z'), '2024-01-02 15:04:05 +0000 UTC'));
  test('--since durations', () => {
    assert.equal(parseDuration('42s'), 42);
    assert.equal(parseDuration('10m'), 600);
    assert.equal(parseDuration('1h30m'), 5400);
    assert.equal(parseDuration('15'), 15);
    assert.equal(parseDuration('soon'), undefined);
    assert.equal(parseDuration('5x'), undefined);
  });
});
