import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { runStoreConformance } from '../src/store/conformance.js';
import { TestEtcd } from './harness/etcd.js';
import { openEtcdStore, type EtcdStore } from '../src/store/etcd/etcd-store.js';
import { StoreCompactedError } from '../src/store/types.js';
import { eventually } from '../src/testing/eventually.js';

// One real etcd for the file; each test's store lives under its own key prefix (the temp dir's name).
const etcd = new TestEtcd();
before(() => etcd.start());
after(() => etcd.stop());

runStoreConformance('etcd', (dir) => openEtcdStore({ endpoints: [etcd.endpoint], prefix: `/${basename(dir)}` }));

describe('etcd store beyond the suite', () => {
  const opened: EtcdStore[] = [];
  const open = async (prefix: string): Promise<EtcdStore> => {
    const s = await openEtcdStore({ endpoints: [etcd.endpoint], prefix });
    opened.push(s);
    return s;
  };
  after(async () => { for (const s of opened) await s.close(); });

  test('a compaction made by another server ends a lagging watch with StoreCompactedError (the API answers 410)', async () => {
    const mine = await open('/x-compact-a');
    const other = await open('/x-compact-a');
    const first = await mine.create('/k/0', 'v');
    for (let i = 1; i <= 3; i++) await other.create(`/k/${i}`, 'v');
    await other.compact(await other.currentRevision());
    const failed = new Promise<Error>((resolve) => { mine.watch('/k/', first.modRevision, () => undefined, resolve); });
    const err = await failed;
    assert.ok(err instanceof StoreCompactedError, String(err));
    assert.equal(err.requested, first.modRevision);
    assert.equal(err.compacted, await other.currentRevision());
  });

  test('a store opened after a compaction knows its point at once', async () => {
    const a = await open('/x-compact-b');
    const kv = await a.create('/k', 'v');
    await a.update('/k', 'w', kv.modRevision);
    await a.compact(await a.currentRevision());
    const b = await open('/x-compact-b');
    assert.throws(() => b.watch('/', kv.modRevision, () => undefined), StoreCompactedError);
  });

  test('an https endpoint without a CA is refused with a message that names the flag', async () => {
    await assert.rejects(openEtcdStore({ endpoints: ['https://127.0.0.1:1'] }), /--datastore-cafile/);
  });

  test('a watch resumes after etcd restarts, without losing or repeating an event', async () => {
    const s = await open('/x-restart');
    const start = await s.create('/w/0', 'v');
    const got: number[] = [];
    const w = s.watch('/w/', start.modRevision, (e) => got.push(e.revision));
    try {
      const a = await s.create('/w/a', 'v');
      await eventually('the first event', () => { assert.deepEqual(got, [a.modRevision]); return true; });
      await etcd.kill();
      await etcd.start();
      const b = await eventually('a write after the restart', () => s.create('/w/b', 'v'));
      const c = await s.create('/w/c', 'v');
      await eventually(() => `events ${JSON.stringify(got)}`, () => { assert.deepEqual(got, [a.modRevision, b.modRevision, c.modRevision]); return true; });
      assert.equal((await s.get('/w/a'))?.value, 'v', 'data survives the restart');
    } finally { w.cancel(); }
  });
});
