import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cleanup, tempDir } from './fixtures.js';
import { readTarIndex } from './tar-reader.js';
import { tarEnd, tarHeader, tarPadding } from './tar-writer.js';

describe('tar writer', () => {
  let dir = '';
  before(async () => { dir = await tempDir('tar-writer'); });
  after(async () => { await cleanup(dir); });

  test('GNU tar reads what it writes: directories, files, sizes and contents', async () => {
    const body = Buffer.from('hello\n'.repeat(100));
    const file = join(dir, 'a.tar');
    await writeFile(file, Buffer.concat([tarHeader('blobs/', undefined), tarHeader('blobs/x', body.length), body, tarPadding(body.length), tarEnd()]));
    const listing = execFileSync('tar', ['-tvf', file], { encoding: 'utf8' }).trim().split('\n');
    assert.match(listing[0] ?? '', /^drwxr-xr-x 0\/0\s+0 .* blobs\/$/);
    assert.match(listing[1] ?? '', /^-rw-r--r-- 0\/0\s+600 .* blobs\/x$/);
    assert.equal(execFileSync('tar', ['-xOf', file, 'blobs/x'], { encoding: 'utf8' }), body.toString());
  });

  test('a member of 8 GiB or more gets a base-256 size that readers decode', async () => {
    const file = join(dir, 'big.tar');
    const size = 9 * 1024 ** 3;
    await writeFile(file, tarHeader('big', size));
    await assert.rejects(readTarIndex(file), new RegExp(`needs ${size} bytes`));
  });
});
