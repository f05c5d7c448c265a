import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/pod.js';
import type { Informer } from '../../client/kit/index.js';
import { NodeRecord } from './record.js';
import { firstListOrFailure, reconcileAfterOffline } from './pod-record.js';

const pod = (uid: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: uid, uid }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
const never = new Promise<void>(() => undefined);
const record = new NodeRecord('/nonexistent-h3-record');

test('the first failed list starts the node from its record; a list that comes first wins', async () => {
  const offline = firstListOrFailure();
  const waiting = offline.wait(never, record);
  offline.told('watch broke (x); watching again'); // not a list failure
  offline.told('listing failed (cannot connect to the Lantern server) in 1000 ms');
  assert.equal(await waiting, 'offline');

  const online = firstListOrFailure();
  assert.equal(await online.wait(Promise.resolve(), record), 'listed');
  online.told('listing failed (later)'); // after the start: ignored
  // Without a record there is nothing to run offline: wait for the list, as before.
  const plain = firstListOrFailure();
  const p = plain.wait(Promise.resolve(), undefined);
  plain.told('listing failed (x)');
  assert.equal(await p, 'listed');
  // The join already found the server out of reach: the record runs at once.
  assert.equal(await firstListOrFailure().wait(never, record, true), 'offline');
});

test('after an offline start, the pods the list lacks were deleted meanwhile and are removed; the others stay', () => {
  const runners = new Map([['a', { pod: pod('a') }], ['b', { pod: pod('b') }]]);
  const informer = { list: () => [pod('a')] } as unknown as Informer<Pod>;
  const removed: string[] = [];
  reconcileAfterOffline(runners, informer, (p) => { removed.push(p.metadata.uid ?? ''); runners.delete(p.metadata.uid ?? ''); }, () => undefined);
  assert.deepEqual(removed, ['b']);
  assert.deepEqual([...runners.keys()], ['a']);
});
