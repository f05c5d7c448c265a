import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import type { Stats } from 'node:fs';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { OciImageStore } from './store.js';
import { cleanup, tarDir, tempDir, writeOciArchive } from './fixtures.js';

const exec = promisify(execFile);

async function files(root: string, spec: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(spec)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

async function allNames(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.map(String);
}

describe('whiteouts', () => {
  let dir = '';
  before(async () => { dir = await tempDir('whiteouts'); });
  after(async () => { await cleanup(dir); });

  test('deleted files and opaque dirs are hidden when the snapshots are stacked with overlayfs', async () => {
    const lower = join(dir, 'lower');
    await files(lower, { 'd/a': 'a', 'd/b': 'b', 'o/old1': 'old', 'o/sub/deep': 'deep', gone: 'bye', keep: 'keep' });
    const upper = join(dir, 'upper');
    await files(upper, { '.wh.gone': '', 'd/.wh.a': '', 'o/.wh..wh..opq': '', 'o/new': 'new', added: 'added' });
    await tarDir(lower, join(dir, 'lower.tar'));
    await tarDir(upper, join(dir, 'upper.tar'));
    const archive = join(dir, 'image.tar');
    await writeOciArchive(archive, [{ name: 'docker.io/test/whiteouts:1', layers: [join(dir, 'lower.tar'), join(dir, 'upper.tar')] }], dir);

    const store = new OciImageStore(join(dir, 'store'));
    const [image] = await store.importArchive(archive);
    assert.ok(image);
    const [top, bottom] = await store.layerDirs(image);
    assert.ok(top && bottom);

    // The upper snapshot holds overlay whiteouts and no AUFS-style marker files.
    assert.deepEqual((await allNames(top)).filter((n) => n.includes('.wh.')), []);
    for (const path of ['gone', 'd/a']) {
      const st: Stats = await stat(join(top, path));
      assert.ok(st.isCharacterDevice(), `${path} is a character device`);
      assert.equal(st.rdev, 0);
      assert.equal(st.uid, 0);
      assert.equal(st.gid, 0);
    }
    const { stdout } = await exec('getfattr', ['--only-values', '-n', 'trusted.overlay.opaque', join(top, 'o')]);
    assert.equal(stdout, 'y');
    assert.equal(await readFile(join(bottom, 'd/a'), 'utf8'), 'a', 'the lower snapshot is untouched');

    const upperdir = join(dir, 'rw');
    const workdir = join(dir, 'work');
    const merged = join(dir, 'merged');
    for (const d of [upperdir, workdir, merged]) await mkdir(d);
    await exec('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${top}:${bottom},upperdir=${upperdir},workdir=${workdir}`, merged]);
    try {
      assert.equal(await exists(join(merged, 'gone')), false, 'whited-out file is hidden');
      assert.equal(await exists(join(merged, 'd/a')), false);
      assert.equal(await readFile(join(merged, 'd/b'), 'utf8'), 'b');
      assert.deepEqual((await readdir(join(merged, 'o'))).sort(), ['new'], 'opaque dir hides the old contents');
      assert.equal(await readFile(join(merged, 'keep'), 'utf8'), 'keep');
      assert.equal(await readFile(join(merged, 'added'), 'utf8'), 'added');
    } finally {
      await exec('umount', [merged]);
    }
  });
});
