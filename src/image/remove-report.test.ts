import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { OciImageStore } from './store.js';
import { usePairFixture } from './pair-fixture.js';

describe('what remove() reports, as docker rmi prints it', () => {
  const fx = usePairFixture('remove-report');

  test('a name taken off an image that keeps another is only Untagged: nothing is Deleted', async () => {
    const store = new OciImageStore(join(fx.dir, 'store-untag'));
    await store.importArchive(fx.pair);
    await store.tag('b:1', 'localhost:5000/team/b:2');
    const r = await store.remove('localhost:5000/team/b:2');
    assert.deepEqual(r.untagged, ['localhost:5000/team/b:2']);
    assert.deepEqual(r.deleted, []);
    assert.deepEqual(r.names, ['docker.io/library/b:1']);
  });

  test('the last name: Untagged name and repo digest, Deleted image ID then the layers only it used, top-most first', async () => {
    const store = new OciImageStore(join(fx.dir, 'store-delete'));
    await store.importArchive(fx.pair);
    const [a, b] = fx.written;
    assert.ok(a && b);
    const rb = await store.remove('b:1');
    assert.deepEqual(rb.untagged, ['b:1', `b@${b.manifestDigest}`]);
    assert.deepEqual(rb.deleted, [b.configDigest, b.diffIds[1]], 'the base layer a shares is kept and not listed');
    const ra = await store.remove('docker.io/library/a:1');
    assert.deepEqual(ra.untagged, ['a:1', `a@${a.manifestDigest}`]);
    assert.deepEqual(ra.deleted, [a.configDigest, a.diffIds[0]]);
  });

  test('forced removal by ID untags every name, one repo digest per repository', async () => {
    const store = new OciImageStore(join(fx.dir, 'store-force'));
    const [, b] = fx.written;
    assert.ok(b);
    await store.importArchive(fx.pair);
    await store.tag('b:1', 'b:2');
    await store.tag('b:1', 'ghcr.io/org/b:3');
    const r = await store.remove(b.configDigest.slice(7, 19), { force: true });
    assert.deepEqual(r.untagged, ['b:1', 'b:2', 'ghcr.io/org/b:3', `b@${b.manifestDigest}`, `ghcr.io/org/b@${b.manifestDigest}`]);
    assert.equal(r.deleted[0], b.configDigest);
  });
});
