import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../api/errors.js';
import type { WatchEvent } from '../api/meta.js';
import type { Pod } from '../api/pod.js';
import type { WatchOptions, Watcher } from '../client/types.js';
import type { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { withTestApi } from '../testing/api.js';
import type { ApiService } from './api-service.js';

const limit = { timeout: 10_000 }; // a missing event fails the test instead of hanging it

/** Runs fn against an ApiService over a fresh SQLite store; stops the watches it opened. */
async function withApi(fn: (api: ApiService, watch: (ns: string | undefined, opts: WatchOptions) => Recorder, store: SqliteStore) => Promise<void>): Promise<void> {
  await withTestApi(async ({ api, store }) => {
    const recorders: Recorder[] = [];
    try {
      await fn(api, (ns, opts) => { const r = new Recorder(api, ns, opts); recorders.push(r); return r; }, store);
    } finally {
      for (const r of recorders) r.watcher.stop();
    }
  }, { prefix: 'lantern-api-watch-' });
}

/** Records a pod watch's events as "TYPE name" and lets a test wait for a count. */
class Recorder {
  readonly events: WatchEvent<Pod>[] = [];
  readonly watcher: Watcher;
  private waiter: { n: number; resolve: () => void } | undefined;
  constructor(api: ApiService, ns: string | undefined, opts: WatchOptions) {
    this.watcher = api.watch<Pod>('pods', ns, opts, (e) => {
      this.events.push(e);
      if (this.waiter && this.events.length >= this.waiter.n) this.waiter.resolve();
    });
  }
  async next(n: number): Promise<string[]> {
    if (this.events.length < n) await new Promise<void>((resolve) => { this.waiter = { n, resolve }; });
    return this.events.map((e) => `${e.type} ${e.object.metadata.name}`);
  }
}

function pod(name: string, labels?: Record<string, string>, namespace?: string): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels, namespace }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
}

describe('ApiService watch', () => {
  test('without a resourceVersion: every current object as ADDED, then live events', limit, () => withApi(async (api, watch) => {
    await api.create('pods', pod('a'));
    await api.create('pods', pod('b'));
    const w = watch(undefined, {});
    assert.deepEqual(await w.next(2), ['ADDED a', 'ADDED b']);
    const c = await api.create('pods', pod('c'));
    await api.update('pods', { ...c, metadata: { ...c.metadata, labels: { x: 'y' } } });
    await api.delete('pods', 'a', 'default');
    assert.deepEqual(await w.next(5), ['ADDED a', 'ADDED b', 'ADDED c', 'MODIFIED c', 'DELETED a']);
    assert.equal(w.events[3]?.object.metadata.labels?.x, 'y');
    assert.equal(w.events[4]?.object.metadata.name, 'a', 'DELETED carries the last state');
  }));

  test('from a resourceVersion: replays what happened after it, then continues live', limit, () => withApi(async (api, watch) => {
    const a = await api.create('pods', pod('a'));
    await api.updateStatus('pods', { ...a, status: { phase: 'Running' } });
    await api.create('pods', pod('b'));
    const w = watch(undefined, { resourceVersion: a.metadata.resourceVersion });
    assert.deepEqual(await w.next(2), ['MODIFIED a', 'ADDED b']);
    assert.equal(w.events[0]?.object.status?.phase, 'Running');
    const versions = w.events.map((e) => Number(e.object.metadata.resourceVersion));
    assert.ok(versions[0]! > Number(a.metadata.resourceVersion) && versions[1]! > versions[0]!, 'each event carries its own, increasing resourceVersion');
    await api.create('pods', pod('c'));
    assert.deepEqual(await w.next(3), ['MODIFIED a', 'ADDED b', 'ADDED c']);
  }));

  test('an object leaving the selector is DELETED; coming back is ADDED', limit, () => withApi(async (api, watch) => {
    const web = await api.create('pods', pod('p', { app: 'web' }));
    await api.create('pods', pod('other', { app: 'db' }));
    const w = watch(undefined, { labelSelector: 'app=web' });
    assert.deepEqual(await w.next(1), ['ADDED p']);
    const moved = await api.update('pods', { ...web, metadata: { ...web.metadata, labels: { app: 'db' } } });
    assert.deepEqual(await w.next(2), ['ADDED p', 'DELETED p']);
    assert.equal(w.events[1]?.object.metadata.labels?.app, 'db', 'the DELETED object is the new state that no longer matches');
    const back = await api.update('pods', { ...moved, metadata: { ...moved.metadata, labels: { app: 'web' } } });
    await api.delete('pods', 'other', 'default');
    await api.delete('pods', 'p', 'default');
    assert.deepEqual(await w.next(4), ['ADDED p', 'DELETED p', 'ADDED p', 'DELETED p']);
    assert.equal(back.metadata.labels?.app, 'web');
    assert.equal(w.events.length, 4, 'events of objects outside the selector never arrive');
  }));

  test('a field selector follows status changes', limit, () => withApi(async (api, watch) => {
    const p = await api.create('pods', pod('p'));
    const w = watch(undefined, { fieldSelector: 'status.phase=Running', resourceVersion: p.metadata.resourceVersion });
    const running = await api.updateStatus('pods', { ...p, status: { phase: 'Running' } });
    await api.updateStatus('pods', { ...running, status: { phase: 'Succeeded' } });
    assert.deepEqual(await w.next(2), ['ADDED p', 'DELETED p']);
  }));

  test('a namespaced watch sees only its namespace', limit, () => withApi(async (api, watch) => {
    const w = watch('team', {});
    await api.create('pods', pod('x', undefined, 'default'));
    await api.create('pods', pod('y', undefined, 'team'));
    await api.create('pods', pod('z', undefined, 'team-b'));
    await api.create('pods', pod('last', undefined, 'team'));
    assert.deepEqual(await w.next(2), ['ADDED y', 'ADDED last']);
  }));

  test('stop ends delivery and resolves done', limit, () => withApi(async (api, watch) => {
    const w = watch(undefined, {});
    await api.create('pods', pod('a'));
    await w.next(1);
    w.watcher.stop();
    await w.watcher.done;
    await api.create('pods', pod('b'));
    const probe = watch(undefined, {});
    await probe.next(2);
    assert.equal(w.events.length, 1);
  }));

  test('a bad resourceVersion or selector ends the watch with a BadRequest', limit, () => withApi(async (_api, watch) => {
    for (const opts of [{ resourceVersion: 'abc' }, { resourceVersion: '-1' }]) {
      await assert.rejects(watch(undefined, opts).watcher.done, (e: unknown) => e instanceof ApiError && e.code === 'BadRequest' && /invalid resourceVersion/.test(e.message));
    }
    assert.throws(() => watch(undefined, { fieldSelector: 'spec.hostname=x' }), (e: unknown) => e instanceof ApiError && e.code === 'BadRequest');
  }));

  test('a resourceVersion older than the compaction point ends the watch with Gone', limit, () => withApi(async (api, watch, store) => {
    const a = await api.create('pods', pod('a'));
    await api.create('pods', pod('b'));
    await store.compact(await store.currentRevision());
    await assert.rejects(watch(undefined, { resourceVersion: a.metadata.resourceVersion }).watcher.done,
      (e: unknown) => e instanceof ApiError && e.code === 'Gone' && e.status === 410 && /too old resource version/.test(e.message));
  }));
});
