import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../testing/clock.js';
import { withTestApi } from '../../testing/api.js';
import { ApiError } from '../../api/errors.js';
import type { ApiClient } from '../../client/types.js';
import type { Lease } from '../../api/schema/lease.js';
import { defaultLeaderTimings, LeaderElector } from './elector.js';
import { fencedApi } from './fence.js';
import { LeaderGate } from './gate.js';

type LeaseApi = Pick<ApiClient, 'get' | 'create' | 'update'>;

/** An API a test can cut off: while down, every call fails as a dead connection would. */
function cuttable(api: LeaseApi): LeaseApi & { down: boolean } {
  const self = {
    down: false,
    get: <T extends Lease>(...a: Parameters<LeaseApi['get']>) => (self.down ? Promise.reject(new Error('connection refused')) : api.get<T>(...a)),
    create: <T extends Lease>(r: string, o: T) => (self.down ? Promise.reject(new Error('connection refused')) : api.create<T>(r, o)),
    update: <T extends Lease>(r: string, o: T) => (self.down ? Promise.reject(new Error('connection refused')) : api.update<T>(r, o)),
  };
  return self as LeaseApi & { down: boolean };
}

/** Two candidates on one store and one clock; `step` moves the clock a retry period and lets each round finish. */
function pair(api: LeaseApi, clock: ManualClock) {
  const events: string[] = [];
  const make = (id: string, a: LeaseApi) => new LeaderElector({
    api: a, namespace: 'lantern-system', name: 'test-leader', identity: id, clock,
    onStartedLeading: () => { events.push(`${id} started`); }, onStoppedLeading: () => { events.push(`${id} stopped`); },
  });
  const aApi = cuttable(api);
  const a = make('a', aApi);
  const b = make('b', api);
  const step = async (ms = defaultLeaderTimings.retryPeriodMs): Promise<void> => {
    clock.advance(ms);
    await Promise.all([a.idle(), b.idle()]);
  };
  const lease = () => api.get<Lease>('leases', 'test-leader', 'lantern-system');
  return { a, b, aApi, events, step, lease };
}

describe('leader election on a Lease', () => {
  test('the first candidate acquires a free lease; the second waits; the leader renews every retry period', () => withTestApi(async ({ api }) => {
    const clock = new ManualClock(1_700_000_000_000);
    const { a, b, events, step, lease } = pair(api, clock);
    await a.start();
    await b.start();
    assert.ok(a.isLeader());
    assert.ok(!b.isLeader());
    const first = await lease();
    assert.equal(first.spec?.holderIdentity, 'a');
    assert.equal(first.spec?.leaseTransitions, 0);
    assert.equal(first.spec?.leaseDurationSeconds, defaultLeaderTimings.leaseDurationMs / 1000);
    for (let i = 0; i < 20; i++) await step();
    assert.ok(a.isLeader(), 'a renews and keeps the lease');
    assert.ok(!b.isLeader(), 'b never takes a lease that keeps changing');
    const later = await lease();
    assert.notEqual(later.spec?.renewTime, first.spec?.renewTime);
    assert.equal(later.spec?.acquireTime, first.spec?.acquireTime);
    assert.deepEqual(events, ['a started']);
    await a.stop(); await b.stop();
  }));

  test('a leader that cannot renew steps down at renewDeadline; the other takes over after leaseDuration of no change, counting a transition', () => withTestApi(async ({ api }) => {
    const clock = new ManualClock(1_700_000_000_000);
    const { a, b, aApi, events, step, lease } = pair(api, clock);
    await a.start();
    await b.start();
    await step();
    aApi.down = true;
    const fenced = fencedApi({ bind: () => Promise.resolve('bound') }, a);
    let elapsed = 0;
    const { retryPeriodMs, renewDeadlineMs, leaseDurationMs } = defaultLeaderTimings;
    while (a.isLeader()) { await step(); elapsed += retryPeriodMs; }
    assert.ok(elapsed < renewDeadlineMs + retryPeriodMs, `a stops leading within renewDeadline of its last renew, seen at the next round (after ${elapsed} ms)`);
    await assert.rejects(fenced.bind(), (e: unknown) => e instanceof ApiError && e.code === 'Forbidden' && /fenced/.test(e.message));
    assert.ok(!b.isLeader(), 'b waits for the full lease duration on its own clock');
    while (!b.isLeader()) { await step(); elapsed += retryPeriodMs; assert.ok(elapsed <= leaseDurationMs + 2 * retryPeriodMs, 'b takes over within leaseDuration + a retry'); }
    const l = await lease();
    assert.equal(l.spec?.holderIdentity, 'b');
    assert.equal(l.spec?.leaseTransitions, 1);
    assert.deepEqual(events, ['a started', 'a stopped', 'b started']);
    aApi.down = false;
    for (let i = 0; i < 10; i++) await step();
    assert.ok(!a.isLeader(), 'a back on line sees b renewing and stays a follower');
    assert.ok(b.isLeader());
    await a.stop(); await b.stop();
  }));

  test('a fenced API lets writes through only while the lease is held, and reads always', async () => {
    let leading = true;
    const calls: string[] = [];
    const inner = { get: () => { calls.push('get'); return Promise.resolve(1); }, bind: () => { calls.push('bind'); return Promise.resolve(); } };
    const fenced = fencedApi(inner, { isLeader: () => leading, identity: 'me' });
    await fenced.bind();
    leading = false;
    await assert.rejects(fenced.bind(), /fenced: me is no longer the leader/);
    assert.equal(await fenced.get(), 1);
    assert.deepEqual(calls, ['bind', 'get']);
  });

  test('stop() releases the lease, so the next candidate takes over at its next round instead of after leaseDuration', () => withTestApi(async ({ api }) => {
    const clock = new ManualClock(1_700_000_000_000);
    const { a, b, events, step, lease } = pair(api, clock);
    await a.start();
    await b.start();
    await a.stop();
    await step();
    assert.ok(b.isLeader());
    assert.equal((await lease()).spec?.holderIdentity, 'b');
    assert.deepEqual(events, ['a started', 'a stopped', 'b started']);
    await b.stop();
  }));

  test('a sole candidate (SQLite: the store is its alone) takes over a holder left by an earlier run at once', () => withTestApi(async ({ api }) => {
    const clock = new ManualClock(1_700_000_000_000);
    await api.create<Lease>('leases', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'test-leader', namespace: 'lantern-system' }, spec: { holderIdentity: 'old-run', leaseDurationSeconds: 15, leaseTransitions: 3 } });
    const e = new LeaderElector({ api, namespace: 'lantern-system', name: 'test-leader', identity: 'new-run', clock, sole: true });
    await e.start();
    assert.ok(e.isLeader());
    const l = await api.get<Lease>('leases', 'test-leader', 'lantern-system');
    assert.equal(l.spec?.holderIdentity, 'new-run');
    assert.equal(l.spec?.leaseTransitions, 4);
    await e.stop();
  }));

  test('bad timings are refused by name', () => {
    assert.throws(() => new LeaderElector({ api: {} as LeaseApi, namespace: 'x', name: 'y', identity: 'z', leaseDurationMs: 5000, renewDeadlineMs: 10_000 }), /leaseDuration .* > renewDeadline/);
  });
});

describe('the leader gate', () => {
  test('followers start in order on a win and stop in reverse on a loss; one added while leading starts at once', async () => {
    const log: string[] = [];
    const f = (id: string) => ({ id, start: async () => { log.push(`+${id}`); }, stop: async () => { log.push(`-${id}`); } });
    const gate = new LeaderGate();
    await gate.follow(f('scheduler'));
    await gate.follow(f('rs'));
    assert.deepEqual(log, [], 'nothing runs before a win');
    await gate.won();
    const late = f('job');
    await gate.follow(late);
    assert.deepEqual(gate.runningIds(), ['scheduler', 'rs', 'job']);
    await gate.lost();
    assert.deepEqual(log, ['+scheduler', '+rs', '+job', '-job', '-rs', '-scheduler']);
    await gate.won();
    await gate.unfollow(late);
    assert.deepEqual(gate.runningIds(), ['scheduler', 'rs']);
  });
});
