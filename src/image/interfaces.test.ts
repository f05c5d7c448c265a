import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256 } from './digest.js';
import { blobsIn, hex, usePairFixture } from './pair-fixture.js';
import { openImageStore } from './store.js';
import type { ImageStore } from './types.js';

/** The three interfaces the agent, the builder and the registry mirror hold the store by. */
describe('content store, image index and snapshotter', () => {
  const fx = usePairFixture('interfaces');

  const opened = async (name: string): Promise<{ store: ImageStore; root: string }> => {
    const root = join(fx.dir, name);
    const store = await openImageStore(root);
    await store.importArchive(fx.pair);
    return { store, root };
  };

  test('content: info, whole and ranged reads, walk over every blob, verified writes', async () => {
    const { store: { content }, root } = await opened('content');
    const [a] = fx.written;
    const manifest = await content.read(a!.manifestDigest);
    assert.equal(sha256(manifest), a!.manifestDigest);
    assert.deepEqual(await content.info(a!.manifestDigest), { digest: a!.manifestDigest, size: manifest.length });
    assert.equal(await content.info(`sha256:${'0'.repeat(64)}`), undefined);
    const chunks: Buffer[] = [];
    for await (const c of content.reader(a!.manifestDigest, { start: 2, end: 9 })) chunks.push(c as Buffer);
    assert.deepEqual(Buffer.concat(chunks), manifest.subarray(2, 10));
    const walked: string[] = [];
    await content.walk((i) => { walked.push(hex(i.digest)); });
    assert.deepEqual(walked.sort(), await blobsIn(root));
    const bytes = Buffer.from('{"note":"not referenced"}');
    await assert.rejects(content.commitBytes(bytes, { digest: `sha256:${'1'.repeat(64)}` }, 'a note'), /a note is corrupt/);
    assert.deepEqual(walked.sort(), await blobsIn(root), 'a blob that failed verification is not stored');
    const file = join(fx.dir, 'download');
    await writeFile(file, bytes);
    await content.commitFile(file, { digest: sha256(bytes), size: bytes.length }, 'a note');
    assert.equal((await content.info(sha256(bytes)))?.size, bytes.length);
  });

  test('content: delete takes an unreferenced blob, never one an image or a pin holds', async () => {
    const { store: { content } } = await opened('delete');
    const [a] = fx.written;
    const loose = Buffer.from('{"loose":true}');
    await content.commitBytes(loose, { digest: sha256(loose) }, 'loose');
    assert.equal(await content.delete(a!.configDigest), false, 'image a references its config');
    assert.ok(await content.info(a!.configDigest));
    content.pin(sha256(loose));
    assert.equal(await content.delete(sha256(loose)), false, 'pinned');
    content.unpin(sha256(loose));
    assert.equal(await content.delete(sha256(loose)), true);
    assert.equal(await content.info(sha256(loose)), undefined);
    assert.equal(await content.delete(sha256(loose)), false, 'already gone');
  });

  test('index: resolve, tag, change notices, remove', async () => {
    const { store: { index } } = await opened('index');
    let changes = 0;
    const off = index.onChange(() => { changes++; });
    assert.equal((await index.resolve('a:1'))?.id, fx.written[0]!.configDigest);
    await index.tag('a:1', 'a:2');
    assert.deepEqual((await index.resolve('a:2'))?.names, ['docker.io/library/a:1', 'docker.io/library/a:2']);
    assert.deepEqual((await index.remove('a:2')).untagged, ['a:2']);
    off();
    await index.remove('a:1');
    assert.equal(changes, 2, 'tag and the first remove were announced; nothing after unsubscribing');
    assert.deepEqual((await index.list()).map((i) => i.names), [['docker.io/library/b:1']]);
  });

  test('snapshots: stat, usage (shared layers counted per image), and gc of the ones no image lists', async () => {
    const { store } = await opened('usage');
    const [a, b] = fx.written;
    const base = a!.diffIds[0]!;
    const extra = b!.diffIds[1]!;
    assert.equal((await store.snapshots.stat(base))?.dir, (await store.layerDirs((await store.resolve('a:1'))!))[0]);
    const usage = new Map((await store.snapshots.usage()).map((u) => [u.diffId, u]));
    assert.equal(usage.get(base)?.images, 2);
    assert.equal(usage.get(extra)?.images, 1);
    assert.ok((usage.get(extra)?.sizeBytes ?? 0) > 0);
    // Held while b goes, so its extra layer outlives it: then only a snapshot collection takes it.
    store.content.pin(extra);
    await store.remove('b:1');
    store.content.unpin(extra);
    assert.ok(await store.snapshots.stat(extra));
    assert.deepEqual((await store.snapshots.gc()).snapshots, [extra]);
    assert.equal(await store.snapshots.stat(extra), undefined);
    assert.ok(await store.snapshots.stat(base), 'a still lists the base layer');
  });

  test('snapshots: a prepared rootfs is writable, its upper dir holds the change after unmount, remove cleans up', async () => {
    const { store, root } = await opened('active');
    const lowers = await store.layerDirs((await store.resolve('b:1'))!);
    const snap = await store.snapshots.prepare('step-1', lowers);
    assert.equal(await readFile(join(snap.rootfs, 'etc/base.txt'), 'utf8'), 'base');
    assert.equal(await readFile(join(snap.rootfs, 'etc/extra.txt'), 'utf8'), 'extra');
    await writeFile(join(snap.rootfs, 'etc/new.txt'), 'new');
    await assert.rejects(store.snapshots.prepare('step-1', lowers), /snapshot step-1 exists/);
    assert.deepEqual(await store.snapshots.active(), ['step-1']);
    await store.snapshots.unmount('step-1');
    assert.equal(await readFile(join(snap.upper, 'etc/new.txt'), 'utf8'), 'new');
    await assert.rejects(stat(join(snap.upper, 'etc/base.txt')), 'the upper dir holds only the change');
    const empty = await store.snapshots.prepare('scratch', []);
    await writeFile(join(empty.rootfs, 'only'), 'x');
    await store.snapshots.remove('scratch');
    await store.snapshots.remove('step-1');
    assert.deepEqual(await store.snapshots.active(), []);
    await assert.rejects(stat(join(root, 'active', 'step-1')));
    await assert.rejects(store.snapshots.prepare('../escape', lowers), /invalid snapshot key/);
  });
});
