import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreEvent } from '../types.js';
import type { WriteOp } from './apply.js';
import { GroupCommitter, type BatchTarget, type Outcome } from './group-commit.js';

/** A target that commits in memory and syncs only when the test says so. */
class FakeDisk implements BatchTarget {
  committedBatches: string[][] = [];
  published: string[] = [];
  private pendingSyncs: { resolve: () => void; reject: (e: Error) => void }[] = [];
  syncCalls = 0;
  private rev = 0;
  commit(ops: readonly WriteOp[]): Outcome[] {
    this.committedBatches.push(ops.map((o) => o.key));
    return ops.map((o) => ({ ok: true, event: { type: 'put', kv: { key: o.key, value: '', createRevision: ++this.rev, modRevision: this.rev } } as StoreEvent }));
  }
  committed(events: readonly StoreEvent[]): void { this.published.push(...events.map((e) => e.kv.key)); }
  sync = {
    async: (): Promise<void> => { this.syncCalls++; return new Promise((resolve, reject) => this.pendingSyncs.push({ resolve, reject })); },
    now: (): void => { this.syncCalls++; },
  };
  finishSync(err?: Error): void { const s = this.pendingSyncs.shift(); if (!s) throw new Error('no sync running'); if (err) s.reject(err); else s.resolve(); }
}

const put = (key: string): WriteOp => ({ kind: 'create', key, value: '' });
const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('GroupCommitter with a sync off the event loop', () => {
  test('a write is acknowledged and published only after a sync that began after its commit', async () => {
    const disk = new FakeDisk();
    const gc = new GroupCommitter(disk);
    const acked: string[] = [];
    const first = gc.submit(put('a')).then(() => acked.push('a'));
    await turn();
    assert.deepEqual(disk.committedBatches, [['a']]);
    assert.equal(acked.length, 0, 'committed but not synced: not acknowledged yet');
    const second = gc.submit(put('b')).then(() => acked.push('b'));
    await turn();
    assert.deepEqual(disk.committedBatches, [['a'], ['b']], 'commits go on while a sync runs');
    disk.finishSync();
    await first;
    await turn();
    assert.deepEqual(acked, ['a'], 'b committed during the first sync waits for the next one');
    assert.deepEqual(disk.published, ['a']);
    disk.finishSync();
    await second;
    assert.deepEqual(acked, ['a', 'b']);
    assert.deepEqual(disk.published, ['a', 'b']);
    assert.equal(disk.syncCalls, 2);
  });

  test('a failed sync fails its writes and every write after it, and publishes nothing', async () => {
    const disk = new FakeDisk();
    const gc = new GroupCommitter(disk);
    const w = gc.submit(put('a'));
    await turn();
    disk.finishSync(new Error('EIO'));
    await assert.rejects(w, /not committed: EIO/);
    await assert.rejects(gc.submit(put('b')), /fsync of the log failed \(EIO\)/);
    assert.deepEqual(disk.published, []);
  });

  test('close commits and syncs what is queued at once', async () => {
    const disk = new FakeDisk();
    const gc = new GroupCommitter(disk);
    const w = gc.submit(put('a'));
    gc.close();
    await w;
    assert.deepEqual(disk.published, ['a']);
    assert.equal(disk.syncCalls, 1);
  });
});
