import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LAST_APPLIED, applyPatch, lastApplied, threeWayMerge, withLastApplied } from './merge.js';

const cm = (data: Record<string, string>, labels?: Record<string, string>): { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; data: Record<string, string> } =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', ...(labels ? { labels } : {}) }, data });

describe('three-way merge', () => {
  test('a key removed from the file since the last apply is removed from the object', () => {
    const out = threeWayMerge({ data: { a: '1', b: '2' } }, { data: { a: '1' } }, { data: { a: '1', b: '2' } });
    assert.deepEqual(out, { data: { a: '1' } });
  });

  test('keys the server or others set (status, nodeName, defaults) stay', () => {
    const live = { spec: { containers: [{ name: 'c' }], nodeName: 'n1', restartPolicy: 'Always' }, status: { phase: 'Running' } };
    const out = threeWayMerge({ spec: { containers: [{ name: 'c' }] } }, { spec: { containers: [{ name: 'c' }] } }, live);
    assert.deepEqual(out, live);
  });

  test('lists are replaced as a whole, not merged', () => {
    const out = threeWayMerge({ spec: { args: ['a', 'b'] } }, { spec: { args: ['c'] } }, { spec: { args: ['a', 'b', 'x'] } }) as { spec: { args: string[] } };
    assert.deepEqual(out.spec.args, ['c']);
  });

  test('a value changed in the file wins over the live one; null removes it', () => {
    assert.deepEqual(threeWayMerge({}, { a: { b: 2 }, c: null }, { a: { b: 1, d: 4 }, c: 3 }), { a: { b: 2, d: 4 } });
  });

  test('a key someone else added and the file never had is kept even when the file drops others', () => {
    const out = threeWayMerge({ metadata: { labels: { app: 'x', tier: 'web' } } }, { metadata: { labels: { app: 'x' } } },
      { metadata: { labels: { app: 'x', tier: 'web', 'added-by': 'ops' } } });
    assert.deepEqual(out, { metadata: { labels: { app: 'x', 'added-by': 'ops' } } });
  });
});

describe('last-applied annotation', () => {
  test('create stores the file as JSON without the annotation itself', () => {
    const obj = withLastApplied(cm({ a: '1' }));
    const text = (obj.metadata as unknown as { annotations: Record<string, string> }).annotations[LAST_APPLIED]!;
    assert.deepEqual(JSON.parse(text), cm({ a: '1' }));
    assert.deepEqual(lastApplied(obj), cm({ a: '1' }));
  });

  test('applyPatch removes data keys dropped from the file and keeps server metadata', () => {
    const live = { ...withLastApplied(cm({ a: '1', b: '2' }, { app: 'x' })), metadata: { ...withLastApplied(cm({ a: '1', b: '2' }, { app: 'x' })).metadata, uid: 'u1', resourceVersion: '7', creationTimestamp: 't' } };
    const next = applyPatch(cm({ a: '9' }), live) as ReturnType<typeof cm> & { metadata: Record<string, unknown> };
    assert.deepEqual(next.data, { a: '9' });
    assert.equal(next.metadata.labels, undefined, 'labels removed from the file are removed');
    assert.equal(next.metadata.uid, 'u1');
    assert.equal(next.metadata.resourceVersion, '7');
    assert.deepEqual(lastApplied(next), cm({ a: '9' }));
  });

  test('an object never applied keeps what it has: nothing is known to remove', () => {
    const live = { ...cm({ a: '1', b: '2' }), metadata: { name: 'c', resourceVersion: '3' } };
    const next = applyPatch(cm({ a: '1' }), live) as ReturnType<typeof cm>;
    assert.deepEqual(next.data, { a: '1', b: '2' });
  });
});
