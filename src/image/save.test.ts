import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { OciImageStore } from './store.js';
import { cleanup, tarDir, tempDir, writeOciArchive, type WrittenImage } from './fixtures.js';
import { inspectRecord } from './inspect.js';

const hex = (d: string): string => d.slice(7);
const member = (archive: string, name: string): Buffer => execFileSync('tar', ['-xOf', archive, name], { maxBuffer: 1 << 28 });

describe('save (docker save + OCI layout in one tar), inspect and prune', () => {
  let dir = '';
  let pair = '';
  let written: WrittenImage[] = [];
  before(async () => {
    dir = await tempDir('save');
    for (const [name, text] of [['base', 'base'], ['extra', 'extra']] as const) {
      await mkdir(join(dir, name, 'etc'), { recursive: true });
      await writeFile(join(dir, name, 'etc', `${name}.txt`), text);
      await tarDir(join(dir, name), join(dir, `${name}.tar`));
    }
    pair = join(dir, 'pair.tar');
    written = await writeOciArchive(pair, [
      { name: 'docker.io/library/a:1', layers: [join(dir, 'base.tar')], cmd: ['a'] },
      { name: 'docker.io/library/b:1', layers: [join(dir, 'base.tar'), join(dir, 'extra.tar')], cmd: ['b'] },
    ], dir);
  });
  after(async () => { await cleanup(dir); });

  const blobs = async (root: string): Promise<string[]> => (await readdir(join(root, 'blobs/sha256'))).sort();
  const snapshots = async (root: string): Promise<string[]> => (await readdir(join(root, 'snapshots'))).sort();

  test('a saved archive holds docker manifest.json with uncompressed layers and an OCI index, and imports back', async () => {
    const store = new OciImageStore(join(dir, 'src'));
    await store.importArchive(pair);
    const out = join(dir, 'saved.tar');
    await pipeline(await store.exportImages(['a:1', 'b:1']), createWriteStream(out));
    const names = execFileSync('tar', ['-tf', out], { encoding: 'utf8' }).split('\n');
    for (const n of ['manifest.json', 'index.json', 'oci-layout']) assert.ok(names.includes(n), `${n} in ${names.join(' ')}`);

    const manifest = JSON.parse(member(out, 'manifest.json').toString()) as { Config: string; RepoTags: string[]; Layers: string[] }[];
    assert.deepEqual(manifest.map((m) => m.RepoTags), [['a:1'], ['b:1']]);
    const [, b] = written;
    assert.equal(manifest[1]!.Config, `blobs/sha256/${hex(b!.configDigest)}`);
    // docker load hashes each layer file as it is: it must be the plain tar whose sha256 is the diff ID.
    assert.deepEqual(manifest[1]!.Layers, b!.diffIds.map((d) => `blobs/sha256/${hex(d)}`));
    for (const [i, path] of manifest[1]!.Layers.entries()) {
      assert.equal(`sha256:${createHash('sha256').update(member(out, path)).digest('hex')}`, b!.diffIds[i]);
    }
    const index = JSON.parse(member(out, 'index.json').toString()) as { manifests: { digest: string; annotations: Record<string, string> }[] };
    assert.deepEqual(index.manifests.map((m) => [m.digest, m.annotations['io.containerd.image.name'], m.annotations['org.opencontainers.image.ref.name']]),
      written.map((w, i) => [w.manifestDigest, `docker.io/library/${i === 0 ? 'a' : 'b'}:1`, '1']));

    const copy = new OciImageStore(join(dir, 'dst'));
    const back = await copy.importArchive(out);
    assert.deepEqual(back.map((r) => [r.id, r.digest, r.names]), written.map((w, i) => [w.configDigest, w.manifestDigest, [`docker.io/library/${i === 0 ? 'a' : 'b'}:1`]]));

    // The docker-save half alone (what docker 20.10 reads) imports to the same images.
    const dockerOnly = join(dir, 'docker-only.tar');
    const unpacked = join(dir, 'unpacked');
    await mkdir(unpacked);
    execFileSync('tar', ['-xf', out, '-C', unpacked]);
    await rm(join(unpacked, 'index.json'));
    await rm(join(unpacked, 'oci-layout'));
    await tarDir(unpacked, dockerOnly);
    const alone = await new OciImageStore(join(dir, 'dst2')).importArchive(dockerOnly);
    assert.deepEqual(alone.map((r) => [r.id, r.names]).sort(), written.map((w, i) => [w.configDigest, [`docker.io/library/${i === 0 ? 'a' : 'b'}:1`]]).sort());
  });

  test('saving an unknown image fails before anything is written, naming it', async () => {
    const store = new OciImageStore(join(dir, 'src'));
    await assert.rejects(store.exportImages(['a:1', 'nope:2']), /No such image: nope:2/);
  });

  test('inspect gives Docker\'s fields', async () => {
    const store = new OciImageStore(join(dir, 'src'));
    const r = await store.resolve('b:1');
    const j = inspectRecord(r!, 'n1');
    assert.equal(j.Id, written[1]!.configDigest);
    assert.deepEqual(j.RepoTags, ['b:1']);
    assert.deepEqual(j.RepoDigests, [`b@${written[1]!.manifestDigest}`]);
    assert.deepEqual(j.Config.Cmd, ['b']);
    assert.deepEqual(j.RootFS, { Type: 'layers', Layers: written[1]!.diffIds });
  });

  test('prune removes dangling images and what only they used; -a keeps images that are held', async () => {
    const root = join(dir, 'prune');
    const busy = new Set<string>();
    const store = new OciImageStore(root, { inUse: (d) => busy.has(d) });
    await store.importArchive(pair);
    const [a, b] = written;
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
