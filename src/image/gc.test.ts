import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { cleanup, makeBusyboxArchive, tempDir } from './fixtures.js';
import { OciImageStore } from './store.js';

describe('garbage collection and mounted layers', () => {
  let dir = '';
  let target = '';
  before(async () => { dir = await tempDir('gc'); target = join(dir, 'rootfs'); });
  after(async () => {
    spawnSync('umount', [target]);
    await cleanup(dir);
  });

  test('a snapshot a mounted overlay stacks survives gc even when no image or hook claims it', async () => {
    const archive = join(dir, 'busybox.tar');
    await makeBusyboxArchive(archive);
    const root = join(dir, 'store');
    const store = new OciImageStore(root); // no inUse hook: only the mount protects the layer
    const [image] = await store.importArchive(archive);
    const [layer] = await store.layerDirs(image!);
    const empty = join(dir, 'empty');
    await mkdir(empty);
    await mkdir(target);
    execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${layer!}:${empty}`, target]);
    await store.remove('busybox', { force: true });
    assert.ok((await stat(join(target, 'bin'))).isDirectory(), 'the container still sees its files');
    assert.deepEqual((await store.gc()).snapshots, []);
    assert.ok((await stat(layer!)).isDirectory(), 'the mounted layer stays');
    execFileSync('umount', [target]);
    assert.deepEqual((await store.gc()).snapshots, image!.diffIds);
    assert.deepEqual(await readdir(join(root, 'snapshots')), []);
  });
});
