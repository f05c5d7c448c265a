import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ociArch } from './platform.js';
import { OciImageStore } from './store.js';
import { cleanup, tarDir, tempDir, writeMultiPlatformArchive } from './fixtures.js';

describe('multi-platform OCI archives', () => {
  let dir = '';
  let layer = '';
  const native = ociArch();
  const foreign = native === 'arm64' ? 'amd64' : 'arm64';
  before(async () => {
    dir = await tempDir('index');
    await mkdir(join(dir, 'src'));
    await writeFile(join(dir, 'src', 'hello'), 'hello');
    layer = join(dir, 'layer.tar');
    await tarDir(join(dir, 'src'), layer);
  });
  after(async () => { await cleanup(dir); });

  test('the manifest for this node\'s platform is picked from an image index', async () => {
    const archive = join(dir, 'multi.tar');
    const written = await writeMultiPlatformArchive(archive, 'docker.io/library/multi:1', [
      { layers: [layer], arch: foreign, cmd: ['foreign'] },
      { layers: [layer], arch: native, cmd: ['native'] },
    ], native, dir);
    const store = new OciImageStore(join(dir, 'store'));
    const [image, ...rest] = await store.importArchive(archive);
    assert.equal(rest.length, 0);
    assert.deepEqual(image?.names, ['docker.io/library/multi:1']);
    assert.equal(image?.architecture, native);
    assert.deepEqual(image?.config.Cmd, ['native']);
    assert.equal(image?.digest, written[1]?.manifestDigest);
  });

  test('an index without this node\'s platform is rejected, listing what it has', async () => {
    const archive = join(dir, 'foreign.tar');
    await writeMultiPlatformArchive(archive, 'docker.io/library/foreign:1', [{ layers: [layer], arch: foreign }], foreign, dir);
    const store = new OciImageStore(join(dir, 'store-foreign'));
    await assert.rejects(store.importArchive(archive), new RegExp(`has no image for this node's platform linux/${native} \\(found: linux/${foreign}\\)`));
    assert.deepEqual(await store.list(), []);
  });
});
