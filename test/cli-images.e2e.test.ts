import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestServer, busyboxArchive } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';

/** Every file under a directory (relative paths), or [] when it does not exist. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(path.join(dir, f)).isFile()).sort();
}

/** The image ID Docker would show: the digest of the image config named by the archive's manifest.json. */
function configDigest(archive: string): string {
  const r = spawnSync('tar', ['-xOf', archive, 'manifest.json'], { encoding: 'utf8' });
  const m = JSON.parse(r.stdout) as { Config: string }[];
  return m[0]!.Config.split('/').at(-1)!;
}

describe('lcctl images, image import and image rm', () => {
  const server = new TestServer();
  const cli = new Cli(server);
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-cli-images-'));
  const imagesDir = (): string => path.join(server.dataDir, 'agent/images');
  before(async () => { await server.start(); });
  after(async () => { await server.stop(); rmSync(dir, { recursive: true, force: true }); });

  test('importing a corrupted archive fails with a clear error and adds nothing', async () => {
    const bytes = readFileSync(busyboxArchive());
    const mid = Math.floor(bytes.length / 2);
    bytes[mid] = bytes[mid]! ^ 0xff;
    const bad = path.join(dir, 'corrupt.tar');
    writeFileSync(bad, bytes);
    const blobsBefore = filesUnder(path.join(imagesDir(), 'blobs'));
    const r = await cli.expect(1, ['image', 'import', bad, 'corrupt:1']);
    assert.match(r.stderr, /corrupt|damaged|digest|hash/i);
    assert.equal(r.stdout, '');
    const list = await cli.ok(['images']);
    assert.equal(list.trim().split('\n').length, 1, `only the header:\n${list}`);
    assert.deepEqual(filesUnder(path.join(imagesDir(), 'blobs')), blobsBefore, 'no blob of the bad archive was kept');
    assert.deepEqual(filesUnder(path.join(imagesDir(), 'tmp')), [], 'no partial download left behind');
  });

  test('image import loads busybox; images lists it with its 12-character ID', async () => {
    const out = await cli.ok(['image', 'import', busyboxArchive(), 'busybox:latest']);
    assert.match(out, /^Loaded image: busybox:latest$/m);
    const list = await cli.ok(['images']);
    const [header, ...rows] = list.trimEnd().split('\n');
    assert.match(header ?? '', /^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$/);
    assert.equal(rows.length, 1, list);
    const id = configDigest(busyboxArchive()).slice(0, 12);
    assert.match(rows[0] ?? '', new RegExp(`^busybox\\s+latest\\s+${id}\\s+.+\\s+\\d+(\\.\\d+)?[kMG]?B$`));
    assert.equal(await cli.ok(['images', '-q']), `${id}\n`);
    assert.equal((await cli.expect(0, ['run', '--rm', 'busybox', 'echo', 'ok'])).stdout, 'ok\n');
  });

  test('image rm refuses an image a running container uses', async () => {
    await cli.ok(['run', '-d', '--name', 'user', 'busybox', 'sleep', '300']);
    const r = await cli.run(['image', 'rm', 'busybox:latest']);
    assert.notEqual(r.code, 0, r.stderr);
    assert.match(r.stderr, /user/);
    assert.match(await cli.ok(['images']), /^busybox\s+latest\s/m);
    await cli.ok(['rm', '-f', 'user']);
  });

  test('image rm (and rmi) of a tag the image shares with another prints only Untagged, as Docker does', async () => {
    await cli.ok(['tag', 'busybox', 'busybox:second']);
    await cli.ok(['tag', 'busybox', 'localhost:5000/team/box:3']);
    assert.equal(await cli.ok(['image', 'rm', 'busybox:second']), 'Untagged: busybox:second\n');
    assert.equal(await cli.ok(['rmi', 'localhost:5000/team/box:3']), 'Untagged: localhost:5000/team/box:3\n');
    assert.match(await cli.ok(['images']), /^busybox\s+latest\s/m, 'the image is still there under its other name');
  });

  test('image rm removes it, and a later run of it fails with exit 125', async () => {
    const id = configDigest(busyboxArchive());
    const out = await cli.ok(['image', 'rm', 'busybox:latest']);
    // Docker's shape: the tag, the repo digest, then the image ID and its layer.
    const lines = out.trimEnd().split('\n');
    assert.equal(lines[0], 'Untagged: busybox:latest');
    assert.match(lines[1] ?? '', /^Untagged: busybox@sha256:[0-9a-f]{64}$/);
    assert.equal(lines[2], `Deleted: sha256:${id}`);
    assert.ok(lines.length > 3 && lines.slice(3).every((l) => /^Deleted: sha256:[0-9a-f]{64}$/.test(l)), out);
    assert.match(out, /^Untagged: busybox:latest$/m);
    assert.match(out, new RegExp(`^Deleted: (sha256:)?${id.slice(0, 12)}`, 'm'));
    assert.doesNotMatch(await cli.ok(['images']), /^busybox\s/m);
    assert.equal((await cli.ok(['images'])).trim().split('\n').length, 1);
    const r = await cli.expect(125, ['run', '--rm', 'busybox', 'true']);
    assert.match(r.stderr, /busybox/);
    const again = await cli.run(['image', 'rm', 'busybox:latest']);
    assert.notEqual(again.code, 0, 'removing it twice fails');
    assert.match(again.stderr, /busybox/);
  });
});
