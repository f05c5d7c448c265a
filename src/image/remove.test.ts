import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { OciImageStore, openImageStore } from './store.js';
import { makeBusyboxArchive } from './fixtures.js';
import { blobsIn as blobs, hex, usePairFixture, snapshotsIn as snapshots } from './pair-fixture.js';

describe('remove, garbage collection and re-import', () => {
  const fx = usePairFixture('remove');
  let busybox = '';
  before(async () => {
    busybox = join(fx.dir, 'busybox.tar');
    await makeBusyboxArchive(busybox);
  });

  test('removing an image deletes what only it used and keeps what another image shares', async () => {
    const root = join(fx.dir, 'store-gc');
    const store = new OciImageStore(root);
    await store.importArchive(fx.pair);
    const [a, b] = fx.written;
    assert.ok(a && b);
    assert.equal(hex(a.layerDigests[0] ?? ''), hex(b.layerDigests[0] ?? ''), 'fixture shares the base blob');

    const removed = await store.remove('a:1');
    assert.deepEqual(removed.names, []);
    assert.equal(await store.resolve('a:1'), undefined);
    const left = await blobs(root);
    assert.ok(!left.includes(hex(a.manifestDigest)) && !left.includes(hex(a.configDigest)), 'a\'s manifest and config are gone');
    assert.deepEqual(left, [b.manifestDigest, b.configDigest, ...b.layerDigests].map(hex).sort(), 'b keeps the shared layer');
    assert.deepEqual(await snapshots(root), b.diffIds.map(hex).sort());
    const bImage = await store.resolve('b:1');
    assert.ok(bImage);
    const dirs = await store.layerDirs(bImage);
    assert.equal(await readFile(join(dirs[1] ?? '', 'etc/base.txt'), 'utf8'), 'base');

    await store.remove('b:1');
    assert.deepEqual(await blobs(root), []);
    assert.deepEqual(await snapshots(root), []);
    assert.deepEqual(await store.list(), []);
  });

  test('untagging keeps the image while it has another name; removal by ID with several names needs force', async () => {
    const root = join(fx.dir, 'store-tags');
    const store = new OciImageStore(root);
    const [image] = await store.importArchive(busybox, 'mine:1');
    assert.ok(image);
    const before = await blobs(root);
    const kept = await store.remove('busybox');
    assert.deepEqual(kept.names, ['docker.io/library/mine:1']);
    assert.deepEqual(await blobs(root), before);
    await store.tag('mine:1', 'other:2');
    await assert.rejects(store.remove(image.id.slice(7, 19)), /has several names .*mine:1.*other:2.*force/);
    await store.remove(image.id.slice(7, 19), { force: true });
    assert.deepEqual(await store.list(), []);
    assert.deepEqual(await blobs(root), []);
    await assert.rejects(store.remove('busybox'), /image "busybox" not found/);
  });

  test('a snapshot in use by a container blocks removal, survives a forced one and is collected later', async () => {
    const root = join(fx.dir, 'store-inuse');
    const busy = new Set<string>();
    const store = new OciImageStore(root, { inUse: (d) => busy.has(d) });
    const [image] = await store.importArchive(busybox);
    assert.ok(image);
    const [layer] = await store.layerDirs(image);
    assert.ok(layer);
    busy.add(layer);
    await assert.rejects(store.remove('busybox'), /image busybox is in use: its layer .* is a lower dir of a container/);
    assert.ok(await store.resolve('busybox'));
    await store.remove('busybox', { force: true });
    assert.equal(await store.resolve('busybox'), undefined);
    assert.deepEqual(await blobs(root), []);
    assert.ok((await stat(layer)).isDirectory(), 'the mounted layer stays');
    assert.deepEqual(await store.gc(), { blobs: [], snapshots: [], reclaimedBytes: 0 });
    busy.clear();
    assert.deepEqual((await store.gc()).snapshots, image.diffIds);
    assert.deepEqual(await snapshots(root), []);
  });

  test('re-import reuses snapshots, and a reopened store sees the same images', async () => {
    const root = join(fx.dir, 'store-reuse');
    const store = new OciImageStore(root);
    const [first] = await store.importArchive(busybox);
    assert.ok(first);
    const [layer] = await store.layerDirs(first);
    assert.ok(layer);
    const inode = (await stat(layer)).ino;
    await store.importArchive(busybox);
    assert.equal((await stat(layer)).ino, inode, 'snapshot not unpacked again');
    assert.equal((await store.list()).length, 1);

    const reopened = await openImageStore(root);
    const again = await reopened.resolve('busybox');
    assert.deepEqual(again, first);
    // A snapshot deleted by hand is unpacked again from its blob.
    await rm(join(layer, '..'), { recursive: true });
    const dirs = await reopened.layerDirs(first);
    assert.deepEqual(dirs, [layer]);
    assert.ok((await stat(join(layer, 'bin/busybox'))).isFile());
  });

  test('a name moves to the newest import; the old image stays unnamed until removed by ID', async () => {
    const root = join(fx.dir, 'store-move');
    const store = new OciImageStore(root);
    const [old] = await store.importArchive(busybox);
    const newer = (await store.importArchive(fx.pair)).find((i) => i.names.includes('docker.io/library/b:1'));
    assert.ok(old && newer);
    await store.tag('b:1', 'busybox');
    assert.equal((await store.resolve('busybox'))?.id, newer.id);
    const orphan = await store.resolve(old.id);
    assert.deepEqual(orphan?.names, []);
    await store.remove(old.id);
    assert.equal(await store.resolve(old.id), undefined);
    assert.ok(await store.resolve('b:1'));
  });

  test('concurrent imports all land in the index', async () => {
    const root = join(fx.dir, 'store-concurrent');
    const store = new OciImageStore(root);
    await Promise.all([
      store.importArchive(busybox),
      store.importArchive(fx.pair),
      store.importArchive(busybox, 'copy:1'),
      store.importArchive(fx.pair),
    ]);
    const names = (await store.list()).flatMap((i) => i.names).sort();
    assert.deepEqual(names, ['docker.io/library/a:1', 'docker.io/library/b:1', 'docker.io/library/busybox:latest', 'docker.io/library/copy:1']);
    const onDisk = JSON.parse(await readFile(join(root, 'images.json'), 'utf8')) as { images: unknown[] };
    assert.equal(onDisk.images.length, 3);
    assert.deepEqual(await (await openImageStore(root)).list(), await store.list());
    assert.deepEqual((await readdir(root)).filter((n) => n.startsWith('.')), [], 'no temp index files left');
  });
});
