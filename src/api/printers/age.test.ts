import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubeAge } from './age.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('kubectl ages', () => {
  const now = Date.parse('2024-05-01T12:00:00Z');
  const at = (ms: number): string => new Date(now - ms).toISOString();
  const cases: [number, string][] = [
    [0, '0s'], [45 * s, '45s'], [119 * s, '119s'], [2 * m, '2m'], [3 * m + 20 * s, '3m20s'], [10 * m, '10m'],
    [179 * m, '179m'], [3 * h, '3h'], [5 * h + 10 * m, '5h10m'], [20 * h, '20h'], [3 * d + 4 * h, '3d4h'],
    [3 * d, '3d'], [40 * d, '40d'], [2 * 365 * d + 10 * d, '2y10d'], [9 * 365 * d, '9y'],
  ];
  for (const [ms, text] of cases) test(`${ms} ms -> ${text}`, () => assert.equal(kubeAge(at(ms), now), text));
  test('missing or future times', () => {
    assert.equal(kubeAge(undefined, now), '<unknown>');
    assert.equal(kubeAge(new Date(now + 10 * s).toISOString(), now), '<invalid>');
  });
});
