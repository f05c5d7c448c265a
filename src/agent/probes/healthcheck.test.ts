import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../testing/clock.js';
import { HealthChecker } from './healthcheck.js';
import type { HealthState, ResolvedHealth } from '../../api/healthcheck.js';

const hc = (over: Partial<ResolvedHealth> = {}): ResolvedHealth => ({ command: ['check'], intervalMs: 1000, timeoutMs: 500, startPeriodMs: 0, retries: 3, ...over });

/** A checker whose command answers from a list of outcomes (true: exit 0). */
function checker(h: ResolvedHealth, outcomes: boolean[]): { clock: ManualClock; seen: HealthState[]; runs: () => number; c: HealthChecker } {
  const clock = new ManualClock();
  const seen: HealthState[] = [];
  let n = 0;
  const c = new HealthChecker(h, clock, async () => {
    const ok = outcomes[Math.min(n++, outcomes.length - 1)]!;
    return ok ? { ok } : { ok, message: 'boom' };
  }, (s) => seen.push(s));
  c.start();
  return { clock, seen, runs: () => n, c };
}

describe('HealthChecker (Docker health semantics on a manual clock)', () => {
  test('starting until the first check one interval after the start; a pass makes it healthy', async () => {
    const { clock, c, runs } = checker(hc(), [true]);
    await clock.advanceAsync(900);
    assert.equal(runs(), 0);
    assert.equal(c.state.status, 'starting');
    await clock.advanceAsync(200);
    assert.equal(c.state.status, 'healthy');
    c.stop();
  });

  test('retries failures in a row make it unhealthy; one pass makes it healthy again with the streak cleared', async () => {
    const { clock, c } = checker(hc({ retries: 2 }), [true, false, false, true]);
    await clock.advanceAsync(2100);
    assert.deepEqual(c.state, { status: 'healthy', failingStreak: 1, output: 'boom' });
    await clock.advanceAsync(1000);
    assert.deepEqual(c.state, { status: 'unhealthy', failingStreak: 2, output: 'boom' });
    await clock.advanceAsync(1000);
    assert.deepEqual(c.state, { status: 'healthy', failingStreak: 0 });
    c.stop();
  });

  test('failures within the start period do not count while starting', async () => {
    const { clock, c } = checker(hc({ retries: 1, startPeriodMs: 2500 }), [false]);
    await clock.advanceAsync(2100);
    assert.deepEqual(c.state, { status: 'starting', failingStreak: 0, output: 'boom' });
    await clock.advanceAsync(1000);
    assert.equal(c.state.status, 'unhealthy');
    c.stop();
  });

  test('a check that outlives its timeout fails with Docker\'s message', async () => {
    const clock = new ManualClock();
    const c = new HealthChecker(hc({ retries: 1 }), clock, (_cmd, signal) => new Promise((resolve) => {
      signal.addEventListener('abort', () => resolve({ ok: false, message: 'killed' }));
    }), () => undefined);
    c.start();
    await clock.advanceAsync(1600);
    assert.equal(c.state.status, 'unhealthy');
    assert.equal(c.state.output, 'Health check exceeded timeout (0.5s)');
    c.stop();
  });

  test('stop() ends the checks', async () => {
    const { clock, c, runs } = checker(hc(), [true]);
    c.stop();
    await clock.advanceAsync(5000);
    assert.equal(runs(), 0);
  });
});
