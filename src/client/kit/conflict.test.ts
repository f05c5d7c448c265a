/** retryOnConflict: re-run on Conflict a few times, anything else at once. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../api/errors.js';
import { retryOnConflict } from './conflict.js';
import { keyOf, splitKey } from './keys.js';

test('a Conflict is retried with the attempt number, up to 5 tries; the last error is thrown', async () => {
  const attempts: number[] = [];
  const ok = await retryOnConflict(async (attempt) => {
    attempts.push(attempt);
    if (attempt < 2) throw new ApiError('Conflict', 'stale');
    return 'written';
  });
  assert.equal(ok, 'written');
  assert.deepEqual(attempts, [0, 1, 2]);
  let tries = 0;
  await assert.rejects(retryOnConflict(async () => { tries++; throw new ApiError('Conflict', `stale ${tries}`); }), /stale 5/);
  assert.equal(tries, 5);
});

test('other errors are thrown at once, unless alsoRetry says so', async () => {
  let tries = 0;
  await assert.rejects(retryOnConflict(async () => { tries++; throw new ApiError('NotFound', 'gone'); }), /gone/);
  assert.equal(tries, 1);
  tries = 0;
  const r = await retryOnConflict(async (attempt) => {
    tries++;
    if (attempt === 0) throw new ApiError('NotFound', 'cached copy was stale');
    return attempt;
  }, { alsoRetry: (e, attempt) => e instanceof ApiError && e.code === 'NotFound' && attempt === 0 });
  assert.equal(r, 1);
});

test('keyOf and splitKey: "ns/name" for namespaced objects, "name" for cluster-scoped ones', () => {
  assert.equal(keyOf({ metadata: { name: 'web', namespace: 'prod' } }), 'prod/web');
  assert.equal(keyOf({ metadata: { name: 'node-1' } }), 'node-1');
  assert.deepEqual(splitKey('prod/web'), { namespace: 'prod', name: 'web' });
  assert.deepEqual(splitKey('node-1'), { namespace: undefined, name: 'node-1' });
});
