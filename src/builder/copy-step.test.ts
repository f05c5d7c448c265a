import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { copySources, findSources, hashSources } from './copy-step.js';
import { scopedPath } from './rootfs-paths.js';

/** A context and a rootfs in a temp dir, removed afterwards. */
function withDirs(fn: (ctx: string, root: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lantern-copy-'));
    try {
      const ctx = path.join(dir, 'ctx');
      const root = path.join(dir, 'root');
      mkdirSync(path.join(ctx, 'src', 'lib'), { recursive: true });
      mkdirSync(path.join(root, 'etc'), { recursive: true });
      writeFileSync(path.join(ctx, 'a.txt'), 'A');
      writeFileSync(path.join(ctx, 'b.txt'), 'B');
      writeFileSync(path.join(ctx, 'run.sh'), '#!/bin/sh\n');
      chmodSync(path.join(ctx, 'run.sh'), 0o755);
      writeFileSync(path.join(ctx, 'src', 'lib', 'x.js'), 'x');
      symlinkSync('lib/x.js', path.join(ctx, 'src', 'link.js'));
      await fn(ctx, root);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const root0 = { owner: { uid: 0, gid: 0 }, extract: false };

describe('COPY and ADD', () => {
  test('wildcards, and a clear error for a missing source', withDirs(async (ctx) => {
    assert.deepEqual((await findSources(ctx, ['*.txt'], 'COPY')).map((s) => s.rel), ['a.txt', 'b.txt']);
    assert.deepEqual((await findSources(ctx, ['/src/../a.txt'], 'COPY')).map((s) => s.rel), ['a.txt']);
    await assert.rejects(findSources(ctx, ['nope.txt'], 'COPY'), /COPY failed: file not found in build context or excluded by \.dockerignore: stat nope\.txt/);
    await assert.rejects(findSources(ctx, ['https://example.com/x'], 'ADD'), /URLs need the network/);
  }));

  test('Docker destination rules: file to a path, files into a dir/, a directory copies its contents', withDirs(async (ctx, root) => {
    await copySources(root, await findSources(ctx, ['a.txt'], 'COPY'), '/opt/renamed.txt', root0);
    assert.equal(readFileSync(path.join(root, 'opt/renamed.txt'), 'utf8'), 'A');
    await copySources(root, await findSources(ctx, ['*.txt', 'run.sh'], 'COPY'), '/app/', { owner: { uid: 1000, gid: 1001 }, extract: false });
    assert.deepEqual(readdirSync(path.join(root, 'app')).sort(), ['a.txt', 'b.txt', 'run.sh']);
    const st = lstatSync(path.join(root, 'app/run.sh'));
    assert.equal(st.mode & 0o777, 0o755, 'modes are kept');
    assert.deepEqual([st.uid, st.gid], [1000, 1001], '--chown applies');
    await copySources(root, await findSources(ctx, ['src'], 'COPY'), '/srv', root0);
    assert.deepEqual(readdirSync(path.join(root, 'srv')).sort(), ['lib', 'link.js']);
    assert.equal(readlinkSync(path.join(root, 'srv/link.js')), 'lib/x.js', 'symlinks stay symlinks');
  }));

  test('a destination through an absolute symlink stays inside the rootfs', withDirs(async (ctx, root) => {
    symlinkSync('/etc', path.join(root, 'cfg'));
    assert.equal(await scopedPath(root, '/cfg/x'), `${root}/etc/x`);
    await copySources(root, await findSources(ctx, ['a.txt'], 'COPY'), '/cfg/a.txt', root0);
    assert.equal(readFileSync(path.join(root, 'etc/a.txt'), 'utf8'), 'A');
  }));

  test('ADD unpacks a local tar archive; COPY copies it as a file', withDirs(async (ctx, root) => {
    assert.equal(spawnSync('tar', ['-czf', path.join(ctx, 'bundle.tar.gz'), '-C', path.join(ctx, 'src'), 'lib']).status, 0);
    await copySources(root, await findSources(ctx, ['bundle.tar.gz'], 'ADD'), '/add/', { ...root0, extract: true });
    assert.equal(readFileSync(path.join(root, 'add/lib/x.js'), 'utf8'), 'x');
    await copySources(root, await findSources(ctx, ['bundle.tar.gz'], 'COPY'), '/copy/', root0);
    assert.deepEqual(readdirSync(path.join(root, 'copy')), ['bundle.tar.gz']);
  }));

  test('the cache hash follows content and mode, not modification times', withDirs(async (ctx) => {
    const h = async (): Promise<string> => hashSources(await findSources(ctx, ['.'], 'COPY'));
    const before = await h();
    spawnSync('touch', ['-d', '2001-01-01', path.join(ctx, 'a.txt')]);
    assert.equal(await h(), before);
    writeFileSync(path.join(ctx, 'a.txt'), 'changed');
    const changed = await h();
    assert.notEqual(changed, before);
    chmodSync(path.join(ctx, 'b.txt'), 0o600);
    assert.notEqual(await h(), changed);
  }));
});
