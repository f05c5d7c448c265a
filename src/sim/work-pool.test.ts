import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapLimit, WorkPool } from './work-pool.js';

test('the write pool keeps at most its limit in flight and coalesces queued writes to one object', async () => {
  let inFlight = 0;
  let most = 0;
  const wrote: string[] = [];
  const gates: (() => void)[] = [];
  const pool = new WorkPool(2, (e) => { throw e; });
  const write = (what: string) => async (): Promise<void> => {
    inFlight++; most = Math.max(most, inFlight);
    await new Promise<void>((r) => gates.push(r));
    wrote.push(what); inFlight--;
  };
  pool.submit(write('a1'), 'a');
  pool.submit(write('b1'), 'b');
  pool.submit(write('c1'), 'c');
  pool.submit(write('c2'), 'c'); // replaces c1, which has not started yet
  pool.submit(write('a2'), 'a'); // a1 is running: a2 queues behind it
  const idle = pool.idle();
  while (wrote.length < 3 || gates.length > 0) {
    await new Promise((r) => setImmediate(r));
    gates.shift()?.();
  }
  await idle;
  assert.equal(most, 2);
  assert.deepEqual(wrote.sort(), ['a1', 'a2', 'b1', 'c2']);
});

test('mapLimit keeps order and runs every item', async () => {
  assert.deepEqual(await mapLimit([1, 2, 3, 4, 5], 2, async (n) => n * 10), [10, 20, 30, 40, 50]);
  assert.deepEqual(await mapLimit([], 4, async (n: number) => n), []);
});

test('one key has one write in flight at a time, so its writes land in the order they were made', async () => {
  const log: string[] = [];
  const gates = new Map<string, () => void>();
  const pool = new WorkPool(4, (e) => { throw e; });
  const write = (what: string) => async (): Promise<void> => {
    log.push(`start ${what}`);
    await new Promise<void>((r) => gates.set(what, r));
    log.push(`end ${what}`);
  };
  pool.submit(write('running'), 'pod/a');
  await new Promise((r) => setImmediate(r));
  pool.submit(write('exited'), 'pod/a'); // the pool has room, but pod/a's first write is still out
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(log, ['start running']);
  gates.get('running')!();
  const idle = pool.idle();
  while (!gates.has('exited')) await new Promise((r) => setImmediate(r));
  gates.get('exited')!();
  await idle;
  assert.deepEqual(log, ['start running', 'end running', 'start exited', 'end exited']);
});
