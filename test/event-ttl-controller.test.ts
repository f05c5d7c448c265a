/**
 * The event TTL controller against the in-process API over a real SQLite store, with a clock the
 * test moves by hand: no sleeps, each step is one sweep.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, type SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { ApiService } from '../src/server/api-service.js';
import { EventTtlController } from '../src/controllers/event-ttl/index.js';
import { EventRecorder } from '../src/client/events.js';
import type { Event } from '../src/api/schema/event.js';
import type { Pod } from '../src/api/pod.js';

let dir: string;
let store: SqliteStore;
let api: ApiService;
const t0 = Date.parse('2026-01-01T12:00:00Z');
const clock = { ms: t0, now(): number { return this.ms; } };
const minutes = (m: number): number => m * 60_000;
const at = (m: number): string => new Date(t0 + minutes(m)).toISOString();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lantern-event-ttl-'));
  store = await openSqliteStore(join(dir, 'state.db'));
  api = new ApiService(store);
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const event = (name: string, namespace: string, times: Partial<Pick<Event, 'firstTimestamp' | 'lastTimestamp'>>): Event => ({
  apiVersion: 'v1', kind: 'Event', metadata: { name, namespace }, involvedObject: { kind: 'Pod', name: 'web', namespace },
  reason: 'Started', message: name, ...times,
});
const names = async (): Promise<string[]> => (await api.list<Event>('events')).items.map((e) => `${e.metadata.namespace}/${e.metadata.name}`).sort();

test('events older than the TTL are deleted, by lastTimestamp, in batches; newer and renewed ones stay', async () => {
  clock.ms = t0;
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
    const recorder = new EventRecorder(api, 'test', () => new Date(clock.ms));
    const recorded = await recorder.record(pod, 'Warning', 'BackOff', 'restarting');
    assert.ok(recorded);
    clock.ms = t0 + minutes(40);
    await recorder.record(pod, 'Warning', 'BackOff', 'restarting');

    // 50 minutes later: first-only (t0-30m) and repeated (t0-10m) are past an hour; the renewed one is not.
    clock.ms = t0 + minutes(50) + 1;
    assert.equal(await controller.sweep(), 2);
    assert.deepEqual(await names(), [`default/${recorded.metadata.name}`]);

    // An hour after its last repeat it goes too.
    clock.ms = t0 + minutes(100) + 1;
    assert.equal(await controller.sweep(), 1);
    assert.deepEqual(await names(), []);
    assert.equal(controller.tracked, 0);
  } finally {
    controller.stop();
  }
});

test('a sweep over thousands of expired events leaves the API answering between batches', async () => {
  clock.ms = t0;
  const count = 2000;
  for (let i = 0; i < count; i += 200) {
    await Promise.all(Array.from({ length: 200 }, (_, j) => api.create('events', event(`bulk-${i + j}`, 'bulk', { lastTimestamp: at(-120) }))));
  }
  await api.create('events', event('fresh', 'bulk', { lastTimestamp: at(0) }));
  const controller = new EventTtlController({ api, clock, ttlMs: minutes(60), intervalMs: 3_600_000, batchSize: 100, log: () => undefined });
  clock.ms = t0 - minutes(120); // nothing is due at start
  await controller.start();
  try {
    await controller.sweep();
    assert.equal(controller.tracked, count + 1);
    clock.ms = t0 + minutes(1);
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
