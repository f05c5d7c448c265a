/**
 * The event TTL controller against the in-process API over a real SQLite store, with a clock the
 * test moves by hand: no sleeps, each step is one sweep.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openTestApi, type TestApi } from '../../testing/api.js';
import { ManualClock } from '../../testing/clock.js';
import { EventTtlController } from './index.js';
import { EventRecorder } from '../../client/kit/index.js';
import type { Event } from '../../api/schema/event.js';
import type { Pod } from '../../api/pod.js';

let t: TestApi;
let api: TestApi['api'];
const t0 = Date.parse('2026-01-01T12:00:00Z');
const minutes = (m: number): number => m * 60_000;
const at = (m: number): string => new Date(t0 + minutes(m)).toISOString();
/** Move a clock forward to the time ms. */
const moveTo = (clock: ManualClock, ms: number): void => clock.advance(ms - clock.now());

before(async () => {
  t = await openTestApi({ prefix: 'lantern-event-ttl-' });
  api = t.api;
});
after(() => t.close());

const event = (name: string, namespace: string, times: Partial<Pick<Event, 'firstTimestamp' | 'lastTimestamp'>>): Event => ({
  apiVersion: 'v1', kind: 'Event', metadata: { name, namespace }, involvedObject: { kind: 'Pod', name: 'web', namespace },
  reason: 'Started', message: name, ...times,
});
const names = async (): Promise<string[]> => (await api.list<Event>('events')).items.map((e) => `${e.metadata.namespace}/${e.metadata.name}`).sort();

test('events older than the TTL are deleted, by lastTimestamp, in batches; newer and renewed ones stay', async () => {
  const clock = new ManualClock(t0);
  // 25 old events across two namespaces, so a batch size of 4 takes several batches.
  for (let i = 0; i < 20; i++) await api.create('events', event(`old-${i}`, 'default', { firstTimestamp: at(-200), lastTimestamp: at(-61) }));
  for (let i = 0; i < 5; i++) await api.create('events', event(`old-${i}`, 'team-a', { lastTimestamp: at(-90) }));
  // Old first occurrence, recent repeat: lastTimestamp is what counts.
  await api.create('events', event('repeated', 'default', { firstTimestamp: at(-300), lastTimestamp: at(-10) }));
  // Only firstTimestamp: it counts when there is no lastTimestamp.
  await api.create('events', event('first-only', 'default', { firstTimestamp: at(-30) }));

  const controller = new EventTtlController({ api, clock, ttlMs: minutes(60), intervalMs: 3_600_000, batchSize: 4, log: () => undefined });
  await controller.start();
  try {
    assert.equal(controller.tracked, 27);
    // start() also sweeps once; sweep() waits for it, so this sees the same result.
    await controller.sweep();
    assert.deepEqual(await names(), ['default/first-only', 'default/repeated']);

    // An event written after start is known through the watch; a repeat renews it (EventRecorder bumps lastTimestamp).
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', uid: 'u1' }, spec: { containers: [] } } as unknown as Pod;
    const recorder = new EventRecorder(api, 'test', () => new Date(clock.now()));
    const recorded = await recorder.record(pod, 'Warning', 'BackOff', 'restarting');
    assert.ok(recorded);
    moveTo(clock, t0 + minutes(40));
    await recorder.record(pod, 'Warning', 'BackOff', 'restarting');

    // 50 minutes later: first-only (t0-30m) and repeated (t0-10m) are past an hour; the renewed one is not.
    moveTo(clock, t0 + minutes(50) + 1);
    assert.equal(await controller.sweep(), 2);
    assert.deepEqual(await names(), [`default/${recorded.metadata.name}`]);

    // An hour after its last repeat it goes too.
    moveTo(clock, t0 + minutes(100) + 1);
    assert.equal(await controller.sweep(), 1);
    assert.deepEqual(await names(), []);
    assert.equal(controller.tracked, 0);
  } finally {
    controller.stop();
  }
});

test('a sweep over thousands of expired events leaves the API answering between batches', async () => {
  const count = 2000;
  for (let i = 0; i < count; i += 200) {
    await Promise.all(Array.from({ length: 200 }, (_, j) => api.create('events', event(`bulk-${i + j}`, 'bulk', { lastTimestamp: at(-120) }))));
  }
  await api.create('events', event('fresh', 'bulk', { lastTimestamp: at(0) }));
  const clock = new ManualClock(t0 - minutes(120)); // nothing is due at start
  // Only the sweeps the test asks for: no periodic one while the clock is moved past the expiry.
  const controller = new EventTtlController({ api, clock, ttlMs: minutes(60), intervalMs: 86_400_000, batchSize: 100, log: () => undefined });
  await controller.start();
  try {
    await controller.sweep();
    assert.equal(controller.tracked, count + 1);
    moveTo(clock, t0 + minutes(1));
    const sweeping = controller.sweep();
    // While the sweep runs, a read issued now is answered before the sweep has finished.
    let sweepDone = false;
    void sweeping.then(() => { sweepDone = true; });
    const during = await api.list<Event>('events', 'bulk');
    assert.equal(sweepDone, false, 'the API answered only after the whole sweep');
    assert.ok(during.items.length > 1, 'the read ran while expired events remained');
    assert.equal(await sweeping, count);
    assert.deepEqual((await api.list<Event>('events', 'bulk')).items.map((e) => e.metadata.name), ['fresh']);
  } finally {
    controller.stop();
  }
});
