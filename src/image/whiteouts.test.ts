import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import type { Stats } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, stat, symlink, writeFile } from 'node:fs/promises';
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

/** Mounts lower dirs (top-most first) with a fresh upper dir, runs fn on the merged view, unmounts. */
async function withOverlay(parent: string, lower: string[], fn: (merged: string) => Promise<void>): Promise<void> {
  const base = await mkdtemp(join(parent, 'ovl-'));
  const [upper, work, merged] = ['upper', 'work', 'merged'].map((n) => join(base, n)) as [string, string, string];
  for (const d of [upper, work, merged]) await mkdir(d);
  await exec('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower.join(':')},upperdir=${upper},workdir=${work}`, merged]);
  try {
    await fn(merged);
  } finally {
    await exec('umount', [merged]);
  }
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

    await withOverlay(dir, [top, bottom], async (merged) => {
      assert.equal(await exists(join(merged, 'gone')), false, 'whited-out file is hidden');
      assert.equal(await exists(join(merged, 'd/a')), false);
      assert.equal(await readFile(join(merged, 'd/b'), 'utf8'), 'b');
      assert.deepEqual((await readdir(join(merged, 'o'))).sort(), ['new'], 'opaque dir hides the old contents');
      assert.equal(await readFile(join(merged, 'keep'), 'utf8'), 'keep');
      assert.equal(await readFile(join(merged, 'added'), 'utf8'), 'added');
    });
  });

  test('an image that repeats a layer lists it once, at its top-most place, and mounts', async () => {
    const base = join(dir, 'rep-base');
    await files(base, { 'f': 'f' });
    const del = join(dir, 'rep-del');
    await files(del, { '.wh.f': '', 'g': 'g' });
    await tarDir(base, join(dir, 'rep-base.tar'));
    await tarDir(del, join(dir, 'rep-del.tar'));
    const archive = join(dir, 'repeat.tar');
    const layers = [join(dir, 'rep-base.tar'), join(dir, 'rep-del.tar'), join(dir, 'rep-base.tar')];
    await writeOciArchive(archive, [{ name: 'docker.io/test/repeat:1', layers }], dir);
    const store = new OciImageStore(join(dir, 'store-repeat'));
    const [image] = await store.importArchive(archive);
    assert.ok(image);
    assert.equal(image.diffIds.length, 3);
    const dirs = await store.layerDirs(image);
    assert.equal(dirs.length, 2);
    await withOverlay(dir, dirs, async (merged) => {
      assert.equal(await readFile(join(merged, 'f'), 'utf8'), 'f', 're-added by the top layer');
      assert.equal(await readFile(join(merged, 'g'), 'utf8'), 'g');
    });
  });

  test('a layer that writes through its own symlink is rejected and writes nothing outside', async () => {
    const victim = join(dir, 'victim');
    await mkdir(victim);
    const a = join(dir, 'evil-a');
    await mkdir(a);
    await symlink(victim, join(a, 'l'));
    const b = join(dir, 'evil-b');
    await files(b, { 'l/pwned': 'bad' });
    const layer = join(dir, 'evil.tar');
    await exec('tar', ['-c', '-f', layer, '-C', a, 'l']);
    await exec('tar', ['-r', '-f', layer, '-C', b, 'l/pwned']);
    const archive = join(dir, 'evil-image.tar');
    await writeOciArchive(archive, [{ name: 'docker.io/test/evil:1', layers: [layer] }], dir);
    const store = new OciImageStore(join(dir, 'store-evil'));
    await assert.rejects(store.importArchive(archive), /unpacking layer sha256:[a-f0-9]{64} .*failed: .*l\/pwned/);
    assert.deepEqual(await readdir(victim), []);
    assert.deepEqual(await store.list(), []);
    assert.deepEqual(await readdir(join(dir, 'store-evil', 'snapshots')), []);
  });
});
