import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { JoinRateLimiter } from './join-rate-limit.js';

describe('joins per minute (token buckets)', () => {
  test('a client gets its bucket at once, then one join per refill; Retry-After says when', () => {
    let t = 0;
    const limiter = new JoinRateLimiter({ perMinute: 0, perClientPerMinute: 3, now: () => t });
    assert.deepEqual([limiter.admit('a'), limiter.admit('a'), limiter.admit('a')], [0, 0, 0]);
    assert.equal(limiter.admit('a'), 20);
    t += 20_000;
    assert.equal(limiter.admit('a'), 0);
    assert.equal(limiter.admit('a'), 20);
  });

  test('one address held back by its own bucket does not spend the server-wide one', () => {
    let t = 0;
    const limiter = new JoinRateLimiter({ perMinute: 4, perClientPerMinute: 2, now: () => t });
    assert.equal(limiter.admit('attacker'), 0);
    assert.equal(limiter.admit('attacker'), 0);
    for (let i = 0; i < 50; i++) assert.ok(limiter.admit('attacker') > 0);
    assert.equal(limiter.admit('edge-1'), 0);
    assert.equal(limiter.admit('edge-2'), 0);
    // The server-wide bucket (4) is now empty for everyone.
    assert.equal(limiter.admit('edge-3'), 15);
    t += 15_000;
    assert.equal(limiter.admit('edge-3'), 0);
  });

  test('0 turns a limit off', () => {
    const limiter = new JoinRateLimiter({ perMinute: 0, perClientPerMinute: 0 });
    for (let i = 0; i < 1000; i++) assert.equal(limiter.admit('a'), 0);
  });
});
