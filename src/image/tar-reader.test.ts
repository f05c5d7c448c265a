import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { entryStream, readTarIndex } from './tar-reader.js';
import { cleanup, tempDir } from './fixtures.js';

const exec = promisify(execFile);
let dir = '';
const longDir = `${'d'.repeat(120)}/${'e'.repeat(60)}`;
const longName = `${longDir}/${'f'.repeat(110)}.txt`;

before(async () => {
  dir = await tempDir('tar');
  const src = join(dir, 'src');
  await mkdir(join(src, longDir), { recursive: true });
  await writeFile(join(src, longName), 'long name content\n');
  await writeFile(join(src, 'short.txt'), 'short\n');
  await symlink(`../${'x'.repeat(150)}`, join(src, 'link'));
});
after(async () => { await cleanup(dir); });

for (const format of ['posix', 'gnu', 'ustar']) {
  test(`reads ${format} archives made by GNU tar, long names included`, async () => {
    const file = join(dir, `${format}.tar`);
    const members = format === 'ustar' ? ['short.txt'] : ['short.txt', longName, 'link'];
    await exec('tar', ['-c', '-f', file, `--format=${format}`, '-C', join(dir, 'src'), ...members]);
    const entries = await readTarIndex(file);
    assert.deepEqual(entries.map((e) => e.name), members);
    for (const e of entries.filter((x) => x.type === '0')) {
      const chunks: Buffer[] = [];
      for await (const c of entryStream(file, e)) chunks.push(c as Buffer);
      assert.equal(Buffer.concat(chunks).toString(), await readFile(join(dir, 'src', e.name), 'utf8'));
    }
    if (format !== 'ustar') assert.equal(entries.find((e) => e.name === 'link')?.linkname, `../${'x'.repeat(150)}`);
  });
}

test('a damaged header is reported with its position', async () => {
  const file = join(dir, 'bad.tar');
  await exec('tar', ['-c', '-f', file, '-C', join(dir, 'src'), 'short.txt']);
  const bytes = await readFile(file);
  bytes[10] = 0x41;
  await writeFile(file, bytes);
  await assert.rejects(readTarIndex(file), /bad header checksum at byte 0/);
});
