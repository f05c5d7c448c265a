import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, symlinkSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createWriteStream } from 'node:fs';
import { TarWriter } from './tar-writer.js';
import { opaqueDirs, writeLayer } from './layer-diff.js';

describe('tar writer', () => {
  test('GNU tar reads what it writes: long names (PAX), modes, owners, symlinks', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lantern-tarw-'));
    try {
      const file = path.join(dir, 'a.tar');
      const out = createWriteStream(file);
      const closed = new Promise<void>((r) => out.on('close', () => r()));
      const tar = new TarWriter(out);
      const long = `${'d'.repeat(120)}/${'f'.repeat(120)}.txt`;
      await tar.add({ name: 'bin', type: 'dir', mode: 0o755, uid: 0, gid: 0, size: 0, mtime: 1 });
      await tar.add({ name: 'bin/tool', type: 'file', mode: 0o4755, uid: 1000, gid: 50, size: 5, mtime: 1 }, Buffer.from('hello'));
      await tar.add({ name: long, type: 'file', mode: 0o600, uid: 0, gid: 0, size: 3, mtime: 1 }, Buffer.from('abc'));
      await tar.add({ name: 'link', type: 'symlink', linkname: 'bin/tool', mode: 0o777, uid: 0, gid: 0, size: 0, mtime: 1 });
      await tar.finish();
      await closed;
      const list = spawnSync('tar', ['-tvf', file, '--numeric-owner'], { encoding: 'utf8' });
      assert.equal(list.status, 0, list.stderr);
      assert.match(list.stdout, /^-rwsr-xr-x 1000\/50\s+5 .* bin\/tool$/m);
      assert.match(list.stdout, /^lrwxrwxrwx 0\/0 .* link -> bin\/tool$/m);
      assert.ok(list.stdout.includes(long), list.stdout);
      const x = path.join(dir, 'x');
      mkdirSync(x);
      assert.equal(spawnSync('tar', ['-xf', file, '-C', x]).status, 0);
      assert.equal(readFileSync(path.join(x, long), 'utf8'), 'abc');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a layer from an overlay upper dir turns whiteouts into .wh. files', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lantern-layer-'));
    try {
      const upper = path.join(dir, 'upper');
      mkdirSync(path.join(upper, 'etc'), { recursive: true });
      mkdirSync(path.join(upper, 'opq'));
      writeFileSync(path.join(upper, 'etc', 'new.conf'), 'x=1\n');
      symlinkSync('/etc/new.conf', path.join(upper, 'cfg'));
      assert.equal(spawnSync('mknod', [path.join(upper, 'etc', 'gone'), 'c', '0', '0']).status, 0);
      assert.equal(spawnSync('setfattr', ['-n', 'trusted.overlay.opaque', '-v', 'y', path.join(upper, 'opq')]).status, 0, 'setfattr (needs root and xattrs)');
      assert.deepEqual([...(await opaqueDirs(upper))], ['opq']);
      const blob = path.join(dir, 'layer.tar.gz');
      const l = await writeLayer(upper, blob);
      assert.match(l.digest, /^sha256:[0-9a-f]{64}$/);
      const list = spawnSync('tar', ['-tzf', blob], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
      assert.deepEqual(list, ['cfg', 'etc/', 'etc/.wh.gone', 'etc/new.conf', 'opq/', 'opq/.wh..wh..opq']);
      const sum = spawnSync('sh', ['-c', `gzip -dc ${blob} | sha256sum`], { encoding: 'utf8' }).stdout.split(' ')[0];
      assert.equal(`sha256:${sum}`, l.diffId);
      assert.deepEqual(readdirSync(upper).sort(), ['cfg', 'etc', 'opq'], 'the upper dir is left as it was');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
