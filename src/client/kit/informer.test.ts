/** The informer against a real in-process API: restarts after a broken watch and after 410 Gone, resyncs, indexes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject, WatchEvent } from '../../api/meta.js';
import type { Pod } from '../../api/pod.js';
import { ApiError } from '../../api/errors.js';
import type { ApiClient, Watcher } from '../types.js';
import { withTestApi } from '../../testing/api.js';
import { ManualClock, settle } from '../../testing/clock.js';
import { eventually } from '../../testing/eventually.js';
import { Informer } from './informer.js';
import { InformerFactory } from './factory.js';

const pod = (name: string, node?: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...(node ? { nodeName: node } : {}) } });

/** The API, counting lists and watches, with a way to break the current watches as a lost connection would. */
function breakable(api: ApiClient): { api: ApiClient; lists: () => number; watches: () => number; breakWatches: (e: Error) => void } {
  let lists = 0;
  let watches = 0;
  const live = new Set<{ w: Watcher; fail: (e: Error) => void }>();
  const wrapped: ApiClient = Object.create(api) as ApiClient;
  wrapped.list = (...args: Parameters<ApiClient['list']>) => { lists++; return api.list(...args); };
  wrapped.watch = <T extends ApiObject>(resource: string, ns: string | undefined, opts: Parameters<ApiClient['watch']>[2], onEvent: (e: WatchEvent<T>) => void): Watcher => {
    watches++;
    const w = api.watch<T>(resource, ns, opts, onEvent);
    let fail: (e: Error) => void = () => undefined;
    const broken = new Promise<void>((_, reject) => { fail = reject; });
    const entry = { w, fail };
    live.add(entry);
    return { stop: () => { live.delete(entry); w.stop(); }, done: Promise.race([w.done, broken]) };
  };
  return {
    api: wrapped, lists: () => lists, watches: () => watches,
    breakWatches: (e) => { for (const x of [...live]) { live.delete(x); x.fail(e); x.w.stop(); } },
  };
}

/** A fresh API, a breakable view of it, a manual clock and an informer of pods over them; the informer is stopped after fn. */
async function withInformer(fn: (c: { api: ApiClient; b: ReturnType<typeof breakable>; clock: ManualClock; inf: Informer<Pod> }) => Promise<void>): Promise<void> {
  await withTestApi(async ({ api }) => {
    const b = breakable(api);
    const clock = new ManualClock();
    const inf = new Informer<Pod>({ api: b.api, resource: 'pods', clock, log: () => undefined });
    try { await fn({ api, b, clock, inf }); } finally { inf.stop(); }
  });
}

test('a broken watch is watched again after the back-off, from the last revision seen: nothing missed, no re-list', async () => {
  await withInformer(async ({ api, b, clock, inf }) => {
    const added: string[] = [];
    inf.addHandler({ onAdd: (p) => added.push(p.metadata.name) });
    await api.create('pods', pod('a'));
    await inf.start();
    assert.equal(inf.hasSynced(), true);
    await api.create('pods', pod('b'));
    await eventually('b seen', () => inf.get('default/b'));
    b.breakWatches(new ApiError('Unavailable', 'connection reset'));
    await settle();
    await api.create('pods', pod('c'));
    await settle();
    assert.equal(inf.get('default/c'), undefined, 'nothing watches during the back-off');
    clock.advance(1000);
    await eventually('c seen after the restart', () => inf.get('default/c'));
    assert.deepEqual(added, ['a', 'b', 'c']);
    assert.deepEqual([b.lists(), b.watches()], [1, 2]);
    inf.stop();
  });
});

test('410 Gone lists again: objects deleted meanwhile are delivered as deletes, the rest as updates', async () => {
  await withInformer(async ({ api, b, clock, inf }) => {
    const seen: string[] = [];
    inf.addHandler({ onAdd: (p, initial) => seen.push(`add ${p.metadata.name}${initial ? ' (list)' : ''}`), onUpdate: (_, p) => seen.push(`update ${p.metadata.name}`), onDelete: (p) => seen.push(`delete ${p.metadata.name}`) });
    await api.create('pods', pod('keep'));
    await api.create('pods', pod('gone'));
    await inf.start();
    b.breakWatches(new ApiError('Gone', 'too old resource version'));
    await settle();
    await api.delete('pods', 'gone', 'default', { gracePeriodSeconds: 0 });
    await api.create('pods', pod('new'));
    clock.advance(999);
    await settle();
    assert.equal(b.lists(), 1, 'the back-off holds the re-list');
    clock.advance(1);
    await eventually('re-listed', () => b.lists() === 2 && inf.get('default/new'));
    assert.deepEqual(seen, ['add gone (list)', 'add keep (list)', 'update keep', 'add new (list)', 'delete gone']);
    assert.deepEqual(inf.keys().sort(), ['default/keep', 'default/new']);
    // And the watch goes on from the new list's revision.
    await api.create('pods', pod('later'));
    await eventually('later seen', () => inf.get('default/later'));
    inf.stop();
  });
});

test('a failed restart backs off longer each time, and a watch that delivers resets the back-off', async () => {
  await withInformer(async ({ api, b, clock, inf }) => {
    await inf.start();
    b.breakWatches(new Error('reset'));
    await settle();
    clock.advance(1000);
    assert.equal(b.watches(), 2);
    b.breakWatches(new Error('reset again'));
    await settle();
    clock.advance(1999);
    assert.equal(b.watches(), 2, 'the second wait is 2 s');
    clock.advance(1);
    assert.equal(b.watches(), 3);
    await api.create('pods', pod('x'));
    await eventually('x seen', () => inf.get('default/x'));
    b.breakWatches(new Error('reset once more'));
    await settle();
    clock.advance(1000);
    assert.equal(b.watches(), 4, 'after a delivered event the wait is 1 s again');
    inf.stop();
  });
});

test('a resync re-delivers every held object to its handler on the clock; other handlers are not resynced', async () => {
  await withInformer(async ({ api, clock, inf }) => {
    await api.create('pods', pod('a'));
    await api.create('pods', pod('b'));
    const resynced: string[] = [];
    let other = 0;
    inf.addHandler({ onUpdate: (old, cur) => { assert.equal(old, cur); resynced.push(cur.metadata.name); } }, { resyncMs: 5000 });
    inf.addHandler({ onUpdate: () => { other++; } });
    await inf.start();
    clock.advance(4999);
    assert.deepEqual(resynced, []);
    clock.advance(1);
    assert.deepEqual(resynced.sort(), ['a', 'b']);
    clock.advance(5000);
    assert.equal(resynced.length, 4);
    assert.equal(other, 0);
    inf.stop();
    clock.advance(5000);
    assert.equal(resynced.length, 4, 'no resync after stop');
  });
});

test('indexes follow changes: pods by spec.nodeName; a handler added late gets what is held; own writes go in at once', async () => {
  await withTestApi(async ({ api }) => {
    const inf = new Informer<Pod>({ api, resource: 'pods', log: () => undefined });
    inf.addIndex('node', (p) => (p.spec.nodeName ? [p.spec.nodeName] : []));
    await api.create('pods', pod('a', 'n1'));
    await api.create('pods', pod('b'));
    await inf.start();
    const names = (node: string): string[] => inf.byIndex('node', node).map((p) => p.metadata.name).sort();
    assert.deepEqual(names('n1'), ['a']);
    await api.bind('default', 'b', 'n2');
    await eventually('b on n2', () => names('n2').length === 1);
    await api.delete('pods', 'a', 'default', { gracePeriodSeconds: 0 });
    await api.delete('pods', 'a', 'default', { gracePeriodSeconds: 0 }); // a bound pod: marked first, then removed
    await eventually('a gone from n1', () => names('n1').length === 0);
    inf.addIndex('namespace', (p) => [p.metadata.namespace ?? '']);
    assert.deepEqual(inf.byIndex('namespace', 'default').map((p) => p.metadata.name), ['b'], 'an index added later covers what is held');

    const late: string[] = [];
    inf.addHandler({ onAdd: (p, initial) => late.push(`${p.metadata.name} ${initial}`) });
    assert.deepEqual(late, ['b true']);

    const written = await api.create<Pod>('pods', pod('mine', 'n1'));
    inf.remember(written);
    assert.deepEqual(names('n1'), ['mine'], 'the answer of our own write is held before its watch event');
    const stale = { ...written, metadata: { ...written.metadata, resourceVersion: '1' } };
    inf.remember(stale);
    assert.equal(inf.get('default/mine')?.metadata.resourceVersion, written.metadata.resourceVersion, 'an older copy does not replace a newer one');
    inf.stop();
  });
});

test('a factory hands out one informer per resource and selector, and one list and watch serve every component', async () => {
  await withTestApi(async ({ api }) => {
    const b = breakable(api);
    const f = new InformerFactory({ api: b.api, log: () => undefined });
    const one = f.informer<Pod>('pods');
    assert.equal(f.informer<Pod>({ resource: 'pods' }), one);
    assert.notEqual(f.informer<Pod>({ resource: 'pods', fieldSelector: 'spec.nodeName=n1' }), one);
    await f.start();
    assert.equal(b.lists(), 2);
    assert.equal(b.watches(), 2);
    f.stop();
  });
});
