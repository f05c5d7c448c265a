import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { OciImageStore } from './store.js';
import { tarDir } from './fixtures.js';
import { blobsIn as blobs, hex, usePairFixture, snapshotsIn as snapshots } from './pair-fixture.js';
import { inspectRecord } from './inspect.js';

const member = (archive: string, name: string): Buffer => execFileSync('tar', ['-xOf', archive, name], { maxBuffer: 1 << 28 });

describe('save (docker save + OCI layout in one tar), inspect and prune', () => {
  const fx = usePairFixture('save');

  test('a saved archive holds docker manifest.json with uncompressed layers and an OCI index, and imports back', async () => {
    const store = new OciImageStore(join(fx.dir, 'src'));
    await store.importArchive(fx.pair);
    const out = join(fx.dir, 'saved.tar');
    await pipeline(await store.exportImages(['a:1', 'b:1']), createWriteStream(out));
    const names = execFileSync('tar', ['-tf', out], { encoding: 'utf8' }).split('\n');
    for (const n of ['manifest.json', 'index.json', 'oci-layout']) assert.ok(names.includes(n), `${n} in ${names.join(' ')}`);

    const manifest = JSON.parse(member(out, 'manifest.json').toString()) as { Config: string; RepoTags: string[]; Layers: string[] }[];
    assert.deepEqual(manifest.map((m) => m.RepoTags), [['a:1'], ['b:1']]);
    const [, b] = fx.written;
    assert.equal(manifest[1]!.Config, `blobs/sha256/${hex(b!.configDigest)}`);
    // docker load hashes each layer file as it is: it must be the plain tar whose sha256 is the diff ID.
    assert.deepEqual(manifest[1]!.Layers, b!.diffIds.map((d) => `blobs/sha256/${hex(d)}`));
    for (const [i, path] of manifest[1]!.Layers.entries()) {
      assert.equal(`sha256:${createHash('sha256').update(member(out, path)).digest('hex')}`, b!.diffIds[i]);
    }
    const index = JSON.parse(member(out, 'index.json').toString()) as { manifests: { digest: string; annotations: Record<string, string> }[] };
    assert.deepEqual(index.manifests.map((m) => [m.digest, m.annotations['io.containerd.image.name'], m.annotations['org.opencontainers.image.ref.name']]),
      fx.written.map((w, i) => [w.manifestDigest, `docker.io/library/${i === 0 ? 'a' : 'b'}:1`, '1']));

    const copy = new OciImageStore(join(fx.dir, 'dst'));
    const back = await copy.importArchive(out);
    assert.deepEqual(back.map((r) => [r.id, r.digest, r.names]), fx.written.map((w, i) => [w.configDigest, w.manifestDigest, [`docker.io/library/${i === 0 ? 'a' : 'b'}:1`]]));

    // The docker-save half alone (what docker 20.10 reads) imports to the same images.
    const dockerOnly = join(fx.dir, 'docker-only.tar');
    const unpacked = join(fx.dir, 'unpacked');
    await mkdir(unpacked);
    execFileSync('tar', ['-xf', out, '-C', unpacked]);
    await rm(join(unpacked, 'index.json'));
    await rm(join(unpacked, 'oci-layout'));
    await tarDir(unpacked, dockerOnly);
    const alone = await new OciImageStore(join(fx.dir, 'dst2')).importArchive(dockerOnly);
    assert.deepEqual(alone.map((r) => [r.id, r.names]).sort(), fx.written.map((w, i) => [w.configDigest, [`docker.io/library/${i === 0 ? 'a' : 'b'}:1`]]).sort());
  });

  test('saving an unknown image fails before anything is written, naming it', async () => {
    const store = new OciImageStore(join(fx.dir, 'src'));
    await assert.rejects(store.exportImages(['a:1', 'nope:2']), /No such image: nope:2/);
  });

  test('inspect gives Docker\'s fields', async () => {
    const store = new OciImageStore(join(fx.dir, 'src'));
    const r = await store.resolve('b:1');
    const j = inspectRecord(r!, 'n1');
    assert.equal(j.Id, fx.written[1]!.configDigest);
    assert.deepEqual(j.RepoTags, ['b:1']);
    assert.deepEqual(j.RepoDigests, [`b@${fx.written[1]!.manifestDigest}`]);
    assert.deepEqual(j.Config.Cmd, ['b']);
    assert.deepEqual(j.RootFS, { Type: 'layers', Layers: fx.written[1]!.diffIds });
  });

  test('prune removes dangling images and what only they used; -a keeps images that are held', async () => {
    const root = join(fx.dir, 'prune');
    const busy = new Set<string>();
    const store = new OciImageStore(root, { inUse: (d) => busy.has(d) });
    await store.importArchive(fx.pair);
    const [a, b] = fx.written;
    await store.tag('b:1', 'a:1'); // image a loses its only name: dangling
    const first = await store.prune();
    assert.deepEqual(first.removed.map((r) => r.id), [a!.configDigest]);
    assert.ok(first.reclaimedBytes > 0);
    const left = await blobs(root);
    assert.ok(!left.includes(hex(a!.configDigest)) && !left.includes(hex(a!.manifestDigest)), 'a\'s own blobs are gone');
    assert.ok(left.includes(hex(a!.layerDigests[0]!)), 'the shared base layer stays for b');

    const held = await store.prune({ all: true, keep: (r) => r.id === b!.configDigest });
    assert.deepEqual(held.removed, []);
    const bDirs = await store.layerDirs((await store.resolve('b:1'))!);
    for (const d of bDirs) busy.add(d);
    assert.deepEqual((await store.prune({ all: true })).removed, [], 'an image whose layers are mounted stays');
    busy.clear();
    assert.deepEqual((await store.prune({ all: true })).removed.map((r) => r.id), [b!.configDigest]);
    assert.deepEqual(await blobs(root), []);
    assert.deepEqual(await snapshots(root), []);
  });
});
