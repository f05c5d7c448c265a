import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StoreCompactedError } from '../store/types.js';
import { withTestApi } from '../testing/api.js';
import { eventually } from '../testing/eventually.js';
import { StoreCompactor } from './compactor.js';

test('each tick compacts the log to the revision the previous tick saw, keeping one interval to resume from', async () => {
  await withTestApi(async ({ store }) => {
    const compactor = new StoreCompactor(store, 60_000, () => {});
    for (let i = 0; i < 5; i++) await store.create(`/k/${i}`, 'v');
    assert.equal(await compactor.tick(), undefined, 'the first tick only remembers where the log is');
    for (let i = 5; i < 8; i++) await store.create(`/k/${i}`, 'v');
    assert.equal(await compactor.tick(), 5);
    // A watcher that last saw revision 6 (after the mark) can still resume; one from revision 3 cannot.
    const seen: string[] = [];
    const w = store.watch('/k/', 6, (e) => seen.push(e.kv.key));
    await eventually('the watch from revision 6', () => seen.length >= 2);
    w.cancel();
    assert.deepEqual(seen, ['/k/6', '/k/7']);
    assert.throws(() => store.watch('/k/', 3, () => {}), StoreCompactedError);
    assert.equal((await store.list('/k/')).items.length, 8, 'compaction drops history, never current values');
  }, { prefix: 'lantern-compactor-' });
});
