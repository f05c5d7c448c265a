/**
 * The StateStore conformance suite: behaviour every backend (SQLite, etcd) must show. A backend's
 * test file calls runStoreConformance with a factory; the suite owns the temp directories.
 *
 * Factory contract: open(dir) opens the store kept in dir, an empty directory the suite created for
 * one test. Calling open(dir) again after close() must reopen the same data (same keys, same
 * revision). A backend that keeps nothing on disk (etcd) may use dir's name as its key namespace.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreCompactedError, StoreConflictError, type StateStore, type StoreEvent } from './types.js';

/** Opens the store kept in dir; the same dir must reopen the same data. */
export type OpenStore = (dir: string) => Promise<StateStore>;

interface Ctx { store: StateStore; reopen: () => Promise<StateStore> }

/** Runs fn against a fresh store in its own temp dir; closes every store it opened and removes the dir. */
async function withStore(open: OpenStore, fn: (ctx: Ctx) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'lantern-store-'));
  const opened: StateStore[] = [];
  const openOne = async (): Promise<StateStore> => { const s = await open(dir); opened.push(s); return s; };
  try {
    await fn({ store: await openOne(), reopen: openOne });
  } finally {
    for (const s of opened) await s.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

/** Asserts that p rejects with StoreConflictError for key with the given reason. */
async function rejectsConflict(p: Promise<unknown>, key: string, reason: StoreConflictError['reason']): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof StoreConflictError, `expected StoreConflictError, got ${String(err)}`);
    assert.equal(err.key, key);
    assert.equal(err.reason, reason);
    return true;
  });
}

/** Records a watch's events; waitFor(n) resolves once n have arrived (a deadline turns a hang into a failure). */
class EventCollector {
  readonly events: StoreEvent[] = [];
  private wake: (() => void) | undefined;

  readonly onEvent = (e: StoreEvent): void => {
    this.events.push(e);
    this.wake?.();
  };

  async waitFor(n: number, deadlineMs = 15_000): Promise<StoreEvent[]> {
    const deadline = Date.now() + deadlineMs;
    while (this.events.length < n) {
      const left = deadline - Date.now();
      if (left <= 0) {
        assert.fail(`watch delivered ${this.events.length} events, expected ${n}: ` +
          JSON.stringify(this.events.slice(-5).map((e) => [e.type, e.kv.key, e.revision])));
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => { clearTimeout(timer); resolve(); };
      });
      this.wake = undefined;
    }
    return this.events.slice(0, n);
  }
}

/** Gives a backend time to deliver anything it should not deliver, before asserting it did not. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 100));

const keysOf = (items: { key: string }[]): string[] => items.map((i) => i.key);

/** Registers the conformance tests for one backend under describe(name). */
export function runStoreConformance(name: string, open: OpenStore): void {
  const it = (title: string, fn: (ctx: Ctx) => Promise<void>): void => {
    test(title, () => withStore(open, fn));
  };

  describe(`StateStore conformance: ${name}`, () => {
    it('create, get and list by prefix in key order', async ({ store }) => {
      // An empty SQLite store is at 0; an etcd cluster starts at 1 and its revision is shared by every
      // prefix in it (the suite runs each test under its own prefix of one etcd), so only the range is checked.
      const r0 = await store.currentRevision();
      assert.ok(Number.isSafeInteger(r0) && r0 >= 0, `revision ${r0}`);
      const value = JSON.stringify({ name: 'ü🚀', big: 'x'.repeat(100_000) });
      for (const k of ['/p/b', '/p/a', '/pz', '/p/c/x', '/o']) await store.create(k, k === '/p/a' ? value : `v${k}`);
      const got = await store.get('/p/a');
      assert.equal(got?.value, value);
      assert.equal(await store.get('/p/nope'), undefined);
      assert.deepEqual(keysOf((await store.list('/p/')).items), ['/p/a', '/p/b', '/p/c/x']);
      assert.deepEqual(keysOf((await store.list('')).items), ['/o', '/p/a', '/p/b', '/p/c/x', '/pz']);
      assert.deepEqual((await store.list('/q/')).items, []);
    });

    it('create of an existing key fails with exists and changes nothing', async ({ store }) => {
      const kv = await store.create('/k', 'one');
      await rejectsConflict(store.create('/k', 'two'), '/k', 'exists');
      assert.deepEqual(await store.get('/k'), kv);
      assert.equal(await store.currentRevision(), kv.modRevision);
    });

    it('update succeeds at the current revision and fails when stale or missing', async ({ store }) => {
      const a = await store.create('/k', 'v1');
      const b = await store.update('/k', 'v2', a.modRevision);
      assert.equal(b.value, 'v2');
      assert.equal(b.createRevision, a.createRevision);
      assert.ok(b.modRevision > a.modRevision);
      await rejectsConflict(store.update('/k', 'v3', a.modRevision), '/k', 'stale');
      await rejectsConflict(store.update('/gone', 'v', 1), '/gone', 'missing');
      assert.deepEqual(await store.get('/k'), b);
    });

    it('delete: conditional at the right or stale revision, unconditional, and of a missing key', async ({ store }) => {
      const a = await store.create('/a', 'va');
      const b = await store.create('/b', 'vb');
      await rejectsConflict(store.delete('/a', a.modRevision + 100), '/a', 'stale');
      assert.deepEqual(await store.delete('/a', a.modRevision), a);
      assert.deepEqual(await store.delete('/b'), b);
      assert.equal(await store.get('/a'), undefined);
      assert.equal(await store.get('/b'), undefined);
      await rejectsConflict(store.delete('/a'), '/a', 'missing');
      await rejectsConflict(store.delete('/b', b.modRevision), '/b', 'missing');
      const again = await store.create('/a', 'new');
      assert.equal(again.createRevision, again.modRevision, 'a recreated key starts a new life');
    });

    it('revisions are global and bumped by exactly one per successful write', async ({ store }) => {
      const r0 = await store.currentRevision();
      const a = await store.create('/x/a', '1');
      const b = await store.create('/y/b', '1');
      const a2 = await store.update('/x/a', '2', a.modRevision);
      await store.delete('/y/b', b.modRevision);
      await rejectsConflict(store.create('/x/a', '3'), '/x/a', 'exists');
      assert.deepEqual([a.modRevision, b.modRevision, a2.modRevision], [r0 + 1, r0 + 2, r0 + 3]);
      assert.equal(await store.currentRevision(), r0 + 4);
    });

    it('list reports the current revision, even when nothing matches', async ({ store }) => {
      await store.create('/a', '1');
      const last = await store.create('/b', '2');
      assert.equal((await store.list('/')).revision, last.modRevision);
      assert.equal((await store.list('/none/')).revision, last.modRevision);
    });

    it('writes issued together succeed or fail each on their own', async ({ store }) => {
      const x = await store.create('/x', 'x');
      const results = await Promise.allSettled([
        store.create('/y', 'y'),
        store.create('/x', 'dup'),
        store.update('/x', 'stale', x.modRevision + 1000),
        store.delete('/z'),
        store.update('/w', 'w', 1),
        store.create('/v', 'v'),
      ]);
      assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'rejected', 'rejected', 'rejected', 'fulfilled']);
      const reasons = results.map((r) => (r.status === 'rejected' && r.reason instanceof StoreConflictError ? r.reason.reason : ''));
      assert.deepEqual(reasons, ['', 'exists', 'stale', 'missing', 'missing', '']);
      assert.equal(await store.currentRevision(), x.modRevision + 2);
      assert.deepEqual(keysOf((await store.list('/')).items), ['/v', '/x', '/y']);
    });

    it('concurrent creates of one key: exactly one wins', async ({ store }) => {
      const r0 = await store.currentRevision();
      const results = await Promise.allSettled(Array.from({ length: 16 }, (_, i) => store.create('/race', `w${i}`)));
      const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      assert.equal(won.length, 1);
      for (const r of results) {
        if (r.status === 'rejected') assert.ok(r.reason instanceof StoreConflictError && r.reason.reason === 'exists');
      }
      assert.equal((await store.get('/race'))?.value, won[0]?.value);
      assert.equal(await store.currentRevision(), r0 + 1);
    });

    it('watch from 0 sees only events after it started', async ({ store }) => {
      await store.create('/w/old1', '1');
      await store.create('/w/old2', '2');
      const c = new EventCollector();
      const w = store.watch('/w/', 0, c.onEvent);
      try {
        const n1 = await store.create('/w/new1', '3');
        const n2 = await store.update('/w/new1', '4', n1.modRevision);
        const got = await c.waitFor(2);
        assert.deepEqual(got.map((e) => [e.type, e.kv.key, e.kv.value, e.revision]),
          [['put', '/w/new1', '3', n1.modRevision], ['put', '/w/new1', '4', n2.modRevision]]);
        assert.equal(got[0]?.prev, undefined, 'a create has no previous value');
        assert.deepEqual(got[1]?.prev, n1);
      } finally { w.cancel(); }
    });

    it('watch from a past revision replays history, then streams live events', async ({ store }) => {
      const a = await store.create('/h/a', 'a');
      await store.create('/h/b', 'b');
      await store.delete('/h/a', a.modRevision);
      const c = new EventCollector();
      const w = store.watch('/h/', a.modRevision, c.onEvent);
      try {
        const replayed = await c.waitFor(2);
        assert.deepEqual(replayed.map((e) => [e.type, e.kv.key, e.revision]),
          [['put', '/h/b', a.modRevision + 1], ['delete', '/h/a', a.modRevision + 2]]);
        const d = await store.create('/h/d', 'd');
        const all = await c.waitFor(3);
        assert.deepEqual(all.map((e) => e.revision), [a.modRevision + 1, a.modRevision + 2, d.modRevision]);
      } finally { w.cancel(); }
    });

    it('watch delivers only keys under its prefix, live and replayed', async ({ store }) => {
      const r0 = (await store.create('/seed', 'v')).modRevision; // watch from 0 would mean 'from now'
      const live = new EventCollector();
      const w = store.watch('/a/', 0, live.onEvent);
      try {
        for (const k of ['/a/1', '/b/1', '/ab', '/a/2', '/', '/a/zz']) await store.create(k, 'v');
        const expected = ['/a/1', '/a/2', '/a/zz'];
        assert.deepEqual((await live.waitFor(3)).map((e) => e.kv.key), expected);
        const replay = new EventCollector();
        const w2 = store.watch('/a/', r0, replay.onEvent);
        try {
          assert.deepEqual((await replay.waitFor(3)).map((e) => e.kv.key), expected);
        } finally { w2.cancel(); }
      } finally { w.cancel(); }
    });

    it('delete events carry the deleted value as prev', async ({ store }) => {
      const v1 = await store.create('/d/k', 'v1');
      const v2 = await store.update('/d/k', 'v2', v1.modRevision);
      const c = new EventCollector();
      const w = store.watch('/d/', 0, c.onEvent);
      try {
        const deleted = await store.delete('/d/k');
        const [e] = await c.waitFor(1);
        assert.equal(e?.type, 'delete');
        assert.equal(e?.kv.key, '/d/k');
        assert.equal(e?.revision, await store.currentRevision());
        assert.equal(e?.kv.modRevision, e?.revision);
        assert.deepEqual(e?.prev, v2);
        assert.deepEqual(deleted, v2);
      } finally { w.cancel(); }
    });

    it('cancel stops delivery to that watch only', async ({ store }) => {
      const a = new EventCollector();
      const b = new EventCollector();
      const wa = store.watch('/c/', 0, a.onEvent);
      const wb = store.watch('/c/', 0, b.onEvent);
      try {
        await store.create('/c/1', '1');
        await a.waitFor(1);
        wa.cancel();
        await store.create('/c/2', '2');
        await b.waitFor(2);
        await settle();
        assert.deepEqual(a.events.map((e) => e.kv.key), ['/c/1']);
      } finally { wa.cancel(); wb.cancel(); }
    });

    it('compaction drops history: a watch from before it throws StoreCompactedError', async ({ store }) => {
      const kvs = [];
      for (let i = 1; i <= 5; i++) kvs.push(await store.create(`/k/${i}`, `${i}`));
      const cut = kvs[2]?.modRevision ?? 0;
      await store.compact(cut);
      assert.throws(() => store.watch('/k/', cut - 1, () => undefined), (err: unknown) =>
        err instanceof StoreCompactedError && err.requested === cut - 1 && err.compacted === cut);
      const c = new EventCollector();
      const w = store.watch('/k/', cut, c.onEvent);
      try {
        assert.deepEqual((await c.waitFor(2)).map((e) => e.kv.key), ['/k/4', '/k/5']);
      } finally { w.cancel(); }
      assert.equal((await store.list('/k/')).items.length, 5, 'compaction keeps current values');
      store.watch('/k/', 0, () => undefined).cancel(); // "from now" is always allowed
    });

    it('a watch replaying history while writes land sees every event once, in order', async ({ store }) => {
      const history = Array.from({ length: 600 }, (_, i) => store.create(`/r/h${i}`, `{"i":${i}}`));
      await Promise.all(history);
      const from = (await store.currentRevision()) - 300;
      const writer = (async () => {
        for (let round = 0; round < 30; round++) {
          await Promise.all(Array.from({ length: 10 }, (_, i) => store.create(`/r/l${round}-${i}`, '{}')));
        }
      })();
      const c = new EventCollector();
      const w = store.watch('/r/', from, c.onEvent);
      try {
        await writer;
        const head = await store.currentRevision();
        const got = await c.waitFor(head - from);
        assert.deepEqual(got.map((e) => e.revision), Array.from({ length: head - from }, (_, i) => from + 1 + i));
        await settle();
        assert.equal(c.events.length, head - from, 'no event delivered twice');
      } finally { w.cancel(); }
    });

    it('reopening keeps data, revision and compaction point', async ({ store, reopen }) => {
      const a = await store.create('/a', '{"v":1}');
      const a2 = await store.update('/a', '{"v":2}', a.modRevision);
      const b = await store.create('/b', '{}');
      await store.delete('/b', b.modRevision);
      await store.compact(a2.modRevision);
      const rev = await store.currentRevision();
      await store.close();
      const again = await reopen();
      assert.equal(await again.currentRevision(), rev);
      assert.deepEqual(await again.get('/a'), a2);
      assert.equal(await again.get('/b'), undefined);
      assert.throws(() => again.watch('/', a.modRevision, () => undefined), StoreCompactedError);
      const c = new EventCollector();
      const w = again.watch('/', a2.modRevision, c.onEvent);
      try {
        const next = await again.create('/c', '{}');
        assert.equal(next.modRevision, rev + 1);
        assert.deepEqual((await c.waitFor(3)).map((e) => [e.type, e.kv.key]), [['put', '/b'], ['delete', '/b'], ['put', '/c']]);
      } finally { w.cancel(); }
    });
  });
}
