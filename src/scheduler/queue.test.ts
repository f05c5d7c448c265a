import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MakePod } from './testing/builders.js';
import { SchedulingQueue } from './queue.js';
import { ManualClock } from '../testing/clock.js';

/** The kit's clock, from the same start as before. */
const clockAt = (): ManualClock => new ManualClock(1_000_000);

const names = (q: SchedulingQueue): string[] => {
  const out: string[] = [];
  for (let p = q.pop(); p; p = q.pop()) out.push(p.metadata.name);
  return out;
};

describe('SchedulingQueue ordering', () => {
  test('higher priority first, then the older pod', () => {
    const q = new SchedulingQueue(clockAt());
    q.add(MakePod().Name('low-old').Priority(0).Created('2024-01-01T00:00:00Z').Obj());
    q.add(MakePod().Name('high-new').Priority(100).Created('2024-01-03T00:00:00Z').Obj());
    q.add(MakePod().Name('low-new').Priority(0).Created('2024-01-02T00:00:00Z').Obj());
    q.add(MakePod().Name('high-old').Priority(100).Created('2024-01-02T00:00:00Z').Obj());
    q.add(MakePod().Name('negative').Priority(-5).Created('2023-01-01T00:00:00Z').Obj());
    q.add(MakePod().Name('unset-older').Created('2023-06-01T00:00:00Z').Obj());
    assert.deepEqual(names(q), ['high-old', 'high-new', 'unset-older', 'low-old', 'low-new', 'negative']);
  });

  test('adding a pod again refreshes it instead of queueing it twice', () => {
    const q = new SchedulingQueue(clockAt());
    q.add(MakePod().Name('p').Label('v', '1').Obj());
    q.add(MakePod().Name('p').Label('v', '2').Obj());
    assert.equal(q.activeCount, 1);
    assert.equal(q.pop()?.metadata.labels?.v, '2');
    assert.equal(q.pop(), undefined);
  });

  test('the same name in two namespaces is two pods', () => {
    const q = new SchedulingQueue(clockAt());
    q.add(MakePod().Name('p').Namespace('a').Obj());
    q.add(MakePod().Name('p').Namespace('b').Obj());
    assert.equal(q.pendingCount, 2);
  });

  test('remove drops a pod from every part of the queue', () => {
    const clock = clockAt();
    const q = new SchedulingQueue(clock);
    const [a, b, c] = ['a', 'b', 'c'].map((n) => MakePod().Name(n).Obj());
    q.add(a!);
    q.markError(b!);
    q.markUnschedulable(c!);
    assert.equal(q.pendingCount, 3);
    for (const n of ['a', 'b', 'c']) q.remove('default', n);
    assert.equal(q.pendingCount, 0);
    clock.advance(60_000);
    q.moveAllToActiveOrBackoff();
    assert.equal(q.pop(), undefined);
  });
});

describe('SchedulingQueue back-off', () => {
  test('a binding error backs off exponentially up to the maximum', () => {
    const clock = clockAt();
    const q = new SchedulingQueue(clock, 1000, 10_000);
    const pod = MakePod().Name('p').Obj();
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      q.markError(pod);
      waits.push(q.nextBackoffIn()!);
      assert.equal(q.pop(), undefined, 'not before the back-off ends');
      clock.advance(waits[i]! - 1);
      assert.equal(q.pop(), undefined, 'not one millisecond early');
      clock.advance(1);
      assert.equal(q.pop()?.metadata.name, 'p');
    }
    assert.deepEqual(waits, [1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  test('nextBackoffIn is the earliest expiry, and 0 once it has passed', () => {
    const clock = clockAt();
    const q = new SchedulingQueue(clock, 1000, 10_000);
    assert.equal(q.nextBackoffIn(), undefined);
    const a = MakePod().Name('a').Obj();
    q.markError(a);
    q.markError(a); // second failure: 2000
    q.markError(MakePod().Name('b').Obj()); // 1000
    assert.equal(q.nextBackoffIn(), 1000);
    clock.advance(1500);
    assert.equal(q.nextBackoffIn(), 0);
    assert.equal(q.pop()?.metadata.name, 'b');
    assert.equal(q.nextBackoffIn(), 500);
  });

  test('adding a pod that is backing off updates it there without skipping the back-off', () => {
    const clock = clockAt();
    const q = new SchedulingQueue(clock, 1000, 10_000);
    q.markError(MakePod().Name('p').Label('v', '1').Obj());
    q.add(MakePod().Name('p').Label('v', '2').Obj());
    assert.equal(q.pop(), undefined);
    clock.advance(1000);
    assert.equal(q.pop()?.metadata.labels?.v, '2');
  });
});

describe('SchedulingQueue unschedulable pods', () => {
  test('are parked until a cluster event, then return after their back-off', () => {
    const clock = clockAt();
    const q = new SchedulingQueue(clock, 1000, 10_000);
    q.markUnschedulable(MakePod().Name('p').Obj());
    assert.equal(q.pendingCount, 1);
    assert.equal(q.activeCount, 0);
    clock.advance(60_000);
    assert.equal(q.pop(), undefined, 'time alone does not bring a parked pod back');
    assert.equal(q.nextBackoffIn(), undefined);
    q.moveAllToActiveOrBackoff();
    assert.equal(q.nextBackoffIn(), 1000);
    assert.equal(q.pop(), undefined);
    clock.advance(1000);
    assert.equal(q.pop()?.metadata.name, 'p');
    assert.equal(q.pendingCount, 0);
  });

  test('an update to a parked pod keeps it parked, with the new object', () => {
    const clock = clockAt();
    const q = new SchedulingQueue(clock, 1000, 10_000);
    q.markUnschedulable(MakePod().Name('p').Label('v', '1').Obj());
    q.add(MakePod().Name('p').Label('v', '2').Obj());
    assert.equal(q.pop(), undefined);
    q.moveAllToActiveOrBackoff();
    clock.advance(1000);
    assert.equal(q.pop()?.metadata.labels?.v, '2');
  });

  test('other pods are not held up by a parked one', () => {
    const q = new SchedulingQueue(clockAt());
    q.markUnschedulable(MakePod().Name('stuck').Priority(1000).Obj());
    q.add(MakePod().Name('free').Obj());
    assert.deepEqual(names(q), ['free']);
  });

  test('each failed attempt lengthens the back-off after the next cluster event', () => {
    const clock = clockAt();
    const q = new SchedulingQueue(clock, 1000, 10_000);
    const pod = MakePod().Name('p').Obj();
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      q.markUnschedulable(pod);
      q.moveAllToActiveOrBackoff();
      waits.push(q.nextBackoffIn()!);
      clock.advance(waits[i]!);
      assert.equal(q.pop()?.metadata.name, 'p');
    }
    assert.deepEqual(waits, [1000, 2000, 4000, 8000, 10_000],
      'BUG: queue.ts moveAllToActiveOrBackoff computes the per-attempt delay and then clamps it with Math.min(delay, initialBackoffMs), so a pod that keeps failing is retried 1 s after every cluster event (every node heartbeat) instead of backing off');
  });
});
