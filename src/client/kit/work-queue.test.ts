/** The work queue: one run per key at a time, N workers, rate-limited requeues on a manual clock. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, settle } from '../../testing/clock.js';
import { WorkQueue } from './work-queue.js';

/** A promise the test resolves by hand. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const wait = new Promise<void>((r) => { open = r; });
  return { wait, open };
}

test('a key never runs twice at once; added while it runs, it runs once more afterwards', async () => {
  const runs: string[] = [];
  let inFlight = 0;
  let most = 0;
  const gates: (() => void)[] = [];
  const q = new WorkQueue(async (key) => {
    runs.push(key);
    inFlight++;
    most = Math.max(most, inFlight);
    const g = gate();
    gates.push(g.open);
    await g.wait;
    inFlight--;
  }, { workers: 4, log: () => undefined });
  q.start();
  q.add('ns/a');
  q.add('ns/a');
  q.add('ns/a');
  await settle();
  assert.deepEqual(runs, ['ns/a']);
  q.add('ns/a');
  q.add('ns/a');
  gates.shift()!();
  await settle();
  assert.deepEqual(runs, ['ns/a', 'ns/a'], 'the adds made while it ran make one more run');
  gates.shift()!();
  await q.idle();
  assert.equal(most, 1);
  assert.equal(runs.length, 2);
});

test('N workers run N different keys at once, no more', async () => {
  let inFlight = 0;
  let most = 0;
  const q = new WorkQueue(async () => {
    inFlight++;
    most = Math.max(most, inFlight);
    await settle();
    await settle();
    inFlight--;
  }, { workers: 3 });
  q.start();
  for (let i = 0; i < 10; i++) q.add(`k${i}`);
  await q.idle();
  assert.equal(most, 3);
});

test('a failing key is requeued on its own back-off on the clock, which doubles; success forgets it', async () => {
  const clock = new ManualClock();
  let failUntil = 3;
  const runs: number[] = [];
  const q = new WorkQueue(async () => {
    runs.push(clock.now());
    if (runs.length <= failUntil) throw new Error('not yet');
  }, { clock, backoff: { baseMs: 100, maxMs: 250 }, log: () => undefined });
  q.start();
  const t0 = clock.now();
  q.add('k');
  await q.idle();
  assert.equal(q.numRequeues('k'), 1);
  await clock.advanceAsync(99, 99);
  assert.equal(runs.length, 1, 'not before 100 ms');
  await clock.advanceAsync(1, 1);
  await q.idle();
  await clock.advanceAsync(200, 200);
  await q.idle();
  await clock.advanceAsync(250, 250);
  await q.idle();
  assert.deepEqual(runs.map((t) => t - t0), [0, 100, 300, 550], 'delays 100, 200, then capped at 250');
  assert.equal(q.numRequeues('k'), 0, 'the success forgot the failures');
  failUntil = 0;
  q.addRateLimited('k');
  await clock.advanceAsync(100, 100);
  await q.idle();
  assert.equal(runs.length, 5, 'after a forget the back-off starts at the base again');
  q.stop();
});

test('addAfter: the earliest pending delay of a key holds; an unstarted queue runs nothing and is idle; stop cancels', async () => {
  const clock = new ManualClock();
  const runs: string[] = [];
  const q = new WorkQueue(async (k) => { runs.push(k); }, { clock });
  q.addAfter('a', 500);
  q.addAfter('a', 100);
  q.addAfter('a', 900);
  q.add('b');
  await q.idle();
  assert.deepEqual(runs, [], 'not started: nothing runs, and idle() does not wait for it');
  q.start();
  await q.idle();
  assert.deepEqual(runs, ['b']);
  clock.advance(100);
  await q.idle();
  assert.deepEqual(runs, ['b', 'a']);
  clock.advance(1000);
  await q.idle();
  assert.deepEqual(runs, ['b', 'a'], 'the later delays were dropped for the earlier one');
  q.addAfter('c', 100);
  q.stop();
  clock.advance(200);
  q.add('d');
  await q.idle();
  assert.deepEqual(runs, ['b', 'a']);
});

test('a long drain of keys that need no I/O gives the event loop turns (requests and watches are not held up)', async () => {
  let done = 0;
  const q = new WorkQueue(async () => {
    // A reconcile that finds nothing to do: some work, no I/O, so it resolves as a microtask.
    let x = 0;
    for (let i = 0; i < 2_000; i++) x += Math.sqrt(i);
    if (x >= 0) done++;
  }, { workers: 4, log: () => undefined });
  for (let i = 0; i < 20_000; i++) q.add(`ns/k${i}`);
  let doneWhenTheLoopGotATurn: number | undefined;
  setImmediate(() => { doneWhenTheLoopGotATurn = done; });
  q.start();
  await q.idle();
  assert.equal(done, 20_000);
  assert.ok(doneWhenTheLoopGotATurn !== undefined && doneWhenTheLoopGotATurn < 20_000, `the event loop got its turn after ${doneWhenTheLoopGotATurn} of 20000 keys`);
});
