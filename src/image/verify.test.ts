import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OciImageStore } from './store.js';
import { cleanup, makeBusyboxArchive, tarDir, tempDir, untar, writeLegacyDockerArchive } from './fixtures.js';

interface Manifest { config: { digest: string }; layers: { digest: string }[] }

describe('blob verification', () => {
  let dir = '';
  let archive = '';
  let manifest: Manifest;
  before(async () => {
    dir = await tempDir('verify');
    archive = join(dir, 'busybox.tar');
    await makeBusyboxArchive(archive);
    const layout = join(dir, 'layout');
    await untar(archive, layout);
    const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    manifest = JSON.parse(await readFile(join(layout, 'blobs/sha256', index.manifests[0]?.digest.slice(7) ?? ''), 'utf8')) as Manifest;
  });
  after(async () => { await cleanup(dir); });

  /** Copies the busybox archive with one blob changed by `damage`. */
  async function damaged(name: string, digest: string, damage: (file: string) => Promise<void>): Promise<string> {
    const layout = join(dir, name);
    await untar(archive, layout);
    await damage(join(layout, 'blobs/sha256', digest.slice(7)));
    const out = join(dir, `${name}.tar`);
    await tarDir(layout, out);
    return out;
  }

  async function flipByte(file: string): Promise<void> {
    const bytes = await readFile(file);
    const i = Math.floor(bytes.length / 2);
    bytes[i] = (bytes[i] ?? 0) ^ 0xff;
    await writeFile(file, bytes);
  }

  /** Nothing registered, and nothing left behind in blobs/ or snapshots/. */
  async function assertEmpty(store: OciImageStore, root: string): Promise<void> {
    assert.deepEqual(await store.list(), []);
    assert.deepEqual(await readdir(join(root, 'blobs/sha256')), []);
    assert.deepEqual(await readdir(join(root, 'snapshots')), []);
  }

  test('a layer blob with one flipped byte is rejected, naming the blob', async () => {
    const layer = manifest.layers[0]?.digest ?? '';
    const bad = await damaged('flip-layer', layer, flipByte);
    const root = join(dir, 'store-flip');
    const store = new OciImageStore(root);
    await assert.rejects(store.importArchive(bad), (e: Error) => {
      assert.match(e.message, new RegExp(`layer 1/1 \\(blob ${layer}\\) of docker.io/library/busybox:latest is corrupt`));
      assert.match(e.message, /Nothing was imported/);
      return true;
    });
    await assertEmpty(store, root);
    // The store still works for a good archive afterwards.
    assert.equal((await store.importArchive(archive)).length, 1);
  });

  test('a corrupted config blob is rejected', async () => {
    const config = manifest.config.digest;
    const bad = await damaged('flip-config', config, flipByte);
    const root = join(dir, 'store-config');
    const store = new OciImageStore(root);
    await assert.rejects(store.importArchive(bad), new RegExp(`config ${config} of docker.io/library/busybox:latest is corrupt`));
    await assertEmpty(store, root);
  });

  test('a truncated layer blob is rejected as truncated', async () => {
    const layer = manifest.layers[0]?.digest ?? '';
    const bad = await damaged('short-layer', layer, (f) => truncate(f, 1000));
    const root = join(dir, 'store-short');
    const store = new OciImageStore(root);
    await assert.rejects(store.importArchive(bad), new RegExp(`blob ${layer}\\) of docker.io/library/busybox:latest is truncated: the manifest says \\d+ bytes, the archive holds 1000`));
    await assertEmpty(store, root);
  });

  test('a truncated archive file is rejected', async () => {
    const bytes = await readFile(archive);
    const cut = join(dir, 'cut.tar');
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const root = join(dir, 'store-cut');
    const store = new OciImageStore(root);
    await assert.rejects(store.importArchive(cut), /cut\.tar is truncated: member "blobs\/sha256\/[a-f0-9]{64}" needs/);
    await assertEmpty(store, root);
  });

  test('a docker-save layer that does not match its diff ID is rejected', async () => {
    const layerDir = join(dir, 'plain-layer');
    const src = join(dir, 'plain-src');
    await untar(archive, src); // any tree will do as layer content
    const layerTar = join(dir, 'plain.tar');
    await tarDir(src, layerTar);
    const legacy = join(dir, 'legacy.tar');
    await writeLegacyDockerArchive(legacy, [{ name: 'broken:1', layers: [layerTar] }], dir);
    await untar(legacy, layerDir);
    const entries = await readdir(layerDir, { withFileTypes: true });
    const layerId = entries.find((e) => e.isDirectory())?.name ?? '';
    await flipByte(join(layerDir, layerId, 'layer.tar'));
    const bad = join(dir, 'legacy-bad.tar');
    await tarDir(layerDir, bad);
    const root = join(dir, 'store-legacy');
    const store = new OciImageStore(root);
    await assert.rejects(store.importArchive(bad), new RegExp(`layer 1/1 \\("${layerId}/layer.tar".*of docker.io/library/broken:1 is corrupt: its uncompressed content hashes to sha256:[a-f0-9]{64} but the image config lists diff ID`));
    await assertEmpty(store, root);
  });

  test('a file that is not an image archive is rejected with a clear message', async () => {
    const notTar = join(dir, 'hello.txt');
    await writeFile(notTar, 'hello\n'.repeat(200));
    const store = new OciImageStore(join(dir, 'store-junk'));
    await assert.rejects(store.importArchive(notTar), /hello\.txt is not a tar archive or is corrupt/);
    await assert.rejects(store.importArchive(join(dir, 'missing.tar')), /image archive .*missing\.tar does not exist/);
  });
});
