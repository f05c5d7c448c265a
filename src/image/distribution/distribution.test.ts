import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { decodeRegistryAuth, encodeRegistryAuth, parseChallenges } from '../../api/registry-auth.js';
import { RegistryClient } from './registry.js';
import { cleanup, digestOf, tarDir, tempDir } from '../fixtures.js';
import { MediaType } from '../formats.js';
import { OciImageStore } from '../store.js';
import { FakeRegistry } from './fake-registry.js';
import { parsePlatform, selectPlatform } from './manifest.js';
import { pullImage } from './pull.js';
import { pushImage } from './push.js';
import type { TransferProgress } from './types.js';

/** A two-layer image (a 300 kB incompressible layer and a small one) stored in a fake registry. */
async function publish(reg: FakeRegistry, dir: string, repo: string, tag: string): Promise<{ big: string; small: string; manifest: Buffer; digest: string }> {
  const layers: Buffer[] = [];
  for (const [name, content] of [['big', randomBytes(300_000)], ['small', Buffer.from('hello\n')]] as const) {
    const src = join(dir, `src-${name}`);
    await mkdir(src, { recursive: true });
    await writeFile(join(src, name), content);
    await tarDir(src, join(dir, `${name}.tar`));
    layers.push(await readFile(join(dir, `${name}.tar`)));
  }
  const blobs = layers.map((l) => gzipSync(l));
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Cmd: ['/big'] }, rootfs: { type: 'layers', diff_ids: layers.map(digestOf) } }));
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: MediaType.dockerManifest,
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', digest: reg.addBlob(config), size: config.length },
    layers: blobs.map((b) => ({ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest: reg.addBlob(b), size: b.length })),
  }, null, 3));
  const digest = reg.addManifest(repo, tag, manifest, MediaType.dockerManifest);
  return { big: digestOf(blobs[0]!), small: digestOf(blobs[1]!), manifest, digest };
}

const gets = (reg: FakeRegistry, digest: string): number => reg.seen.filter((r) => r.method === 'GET' && r.path.endsWith(`/blobs/${digest}`)).length;

describe('WWW-Authenticate and platforms', () => {
  test('a Bearer challenge yields realm, service and a scope with commas and colons', () => {
    const [c, d] = parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull,push", Basic realm="x"');
    assert.equal(c?.scheme, 'bearer');
    assert.deepEqual(c?.params, { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/busybox:pull,push' });
    assert.deepEqual(d, { scheme: 'basic', params: { realm: 'x' } });
  });

  test('every registry is tried over HTTPS first, loopback and insecure ones included; docker.io goes to registry-1', () => {
    assert.equal(new RegistryClient('localhost:5000').base, 'https://localhost:5000');
    assert.equal(new RegistryClient('127.0.0.1:5000').base, 'https://127.0.0.1:5000');
    assert.equal(new RegistryClient('[::1]:5000').base, 'https://[::1]:5000');
    assert.equal(new RegistryClient('reg.example:5000').base, 'https://reg.example:5000');
    assert.equal(new RegistryClient('reg.example:5000', { insecureRegistries: ['reg.example:5000'] }).base, 'https://reg.example:5000');
    assert.equal(new RegistryClient('docker.io').base, 'https://registry-1.docker.io');
    assert.equal(new RegistryClient('127.0.0.1:5000', { scheme: 'http' }).base, 'http://127.0.0.1:5000');
  });

  test('X-Registry-Auth round-trips credentials and rejects garbage', () => {
    assert.deepEqual(decodeRegistryAuth(encodeRegistryAuth({ username: 'ann', password: 'p@ss/+=' })), { username: 'ann', password: 'p@ss/+=' });
    assert.equal(decodeRegistryAuth(undefined), undefined);
    assert.throws(() => decodeRegistryAuth('%%%'), /x-registry-auth header is not base64-encoded JSON/);
  });

  test('an index resolves to the wanted platform and the error lists what it offers', () => {
    const d = (p: object, n: string): object => ({ mediaType: MediaType.ociManifest, digest: `sha256:${n.repeat(64)}`, size: 1, platform: p });
    const index = { manifests: [d({ os: 'linux', architecture: 'amd64' }, 'a'), d({ os: 'linux', architecture: 'arm', variant: 'v6' }, 'b'), d({ os: 'linux', architecture: 'arm', variant: 'v7' }, 'c'), d({ os: 'unknown', architecture: 'unknown' }, 'd')] };
    assert.equal(selectPlatform(index, parsePlatform('linux/amd64'), 'x').digest, `sha256:${'a'.repeat(64)}`);
    assert.equal(selectPlatform(index, parsePlatform('linux/arm/v7'), 'x').digest, `sha256:${'c'.repeat(64)}`);
    assert.equal(selectPlatform(index, parsePlatform('linux/arm/v6'), 'x').digest, `sha256:${'b'.repeat(64)}`);
    const v6only = { manifests: [d({ os: 'linux', architecture: 'arm', variant: 'v6' }, 'b')] };
    assert.equal(selectPlatform(v6only, parsePlatform('linux/arm/v7'), 'x').digest, `sha256:${'b'.repeat(64)}`, 'an arm/v7 node runs arm/v6 images');
    assert.throws(() => selectPlatform(index, parsePlatform('linux/arm64'), 'x'), /no image for platform linux\/arm64 \(available: linux\/amd64, linux\/arm\/v6, linux\/arm\/v7\)/);
  });
});

describe('pull and push against a registry', () => {
  let dir = '';
  before(async () => { dir = await tempDir('distribution'); });
  after(async () => { await cleanup(dir); });

  test('an interrupted pull resumes with a Range request and never fetches a finished blob again', async () => {
    const reg = new FakeRegistry();
    await reg.start();
    try {
      const img = await publish(reg, dir, 'lt/app', '1');
      reg.cutAfter.set(img.big, 100_000);
      const store = new OciImageStore(join(dir, 'store-resume'));
      await assert.rejects(pullImage(store, `${reg.host}/lt/app:1`), /stopped at \d+ of \d+ bytes.*pull again to resume/);
      const kept = (await stat(store.content.ingestPath(img.big))).size;
      assert.ok(kept > 0 && kept <= 100_000, `partial download kept (${kept} bytes)`);
      const events: TransferProgress[] = [];
      const record = await pullImage(store, `${reg.host}/lt/app:1`, { onProgress: (p) => events.push(p) });
      assert.deepEqual(record.names, [`${reg.host}/lt/app:1`]);
      assert.equal(record.digest, img.digest);
      const ranged = reg.seen.filter((r) => r.path.endsWith(img.big) && r.range);
      assert.deepEqual(ranged.map((r) => r.range), [`bytes=${kept}-`]);
      assert.equal(gets(reg, img.small), 1, 'the finished small layer is not downloaded twice');
      assert.ok(events.some((e) => e.layer === img.big && e.status === 'Downloading' && e.total === (reg.blobs.get(img.big)?.length)));
      assert.deepEqual(await store.content.read(record.digest), img.manifest, 'the manifest is stored byte for byte');
      await stat(store.content.ingestPath(img.big)).then(() => assert.fail('partial file left behind'), () => undefined);
    } finally { await reg.stop(); }
  });

  test('a blob whose content does not match its digest is rejected and not stored', async () => {
    const reg = new FakeRegistry();
    await reg.start();
    try {
      const img = await publish(reg, dir, 'lt/bad', '1');
      const real = reg.blobs.get(img.small)!;
      reg.corrupt.set(img.small, Buffer.concat([real.subarray(0, real.length - 1), Buffer.from([real[real.length - 1]! ^ 1])]));
      const store = new OciImageStore(join(dir, 'store-corrupt'));
      await assert.rejects(pullImage(store, `${reg.host}/lt/bad:1`), /corrupt: its content hashes to sha256:[0-9a-f]{64}, not sha256:/);
      assert.equal((await store.content.info(img.small)) !== undefined, false);
      assert.equal((await store.list()).length, 0);
    } finally { await reg.stop(); }
  });

  test('Bearer auth: the token comes from the realm with the basic credentials and the pull scope', async () => {
    const reg = new FakeRegistry({ auth: 'bearer', user: 'ann', pass: 's3cret' });
    await reg.start();
    try {
      await publish(reg, dir, 'lt/private', '1');
      const store = new OciImageStore(join(dir, 'store-bearer'));
      await assert.rejects(pullImage(store, `${reg.host}/lt/private:1`), /refused anonymous access.*lcctl login/);
      await assert.rejects(pullImage(store, `${reg.host}/lt/private:1`, { auth: { username: 'ann', password: 'wrong' } }), /rejected the credentials of "ann"/);
      const record = await pullImage(store, `${reg.host}/lt/private:1`, { auth: { username: 'ann', password: 's3cret' } });
      assert.equal(record.names.length, 1);
      const tokenCall = reg.seen.filter((r) => r.path.startsWith('/token')).pop();
      assert.match(tokenCall?.path ?? '', /service=fake&scope=repository%3Alt%2Fprivate%3Apull/);
    } finally { await reg.stop(); }
  });

  test('push sends the stored manifest byte for byte, skips blobs the registry has, mounts across repositories, and falls back to chunks on 413', async () => {
    const reg = new FakeRegistry({ auth: 'basic', user: 'bob', pass: 'pw' });
    await reg.start();
    try {
      const img = await publish(reg, dir, 'lt/src', '1');
      const auth = { username: 'bob', password: 'pw' };
      const store = new OciImageStore(join(dir, 'store-push'));
      await pullImage(store, `${reg.host}/lt/src:1`, { auth });
      const other = new FakeRegistry();
      await other.start();
      try {
        await store.tag(`${reg.host}/lt/src:1`, `${other.host}/lt/copy:2`);
        const pushed = await pushImage(store, `${other.host}/lt/copy:2`);
        assert.equal(pushed.digest, img.digest);
        assert.deepEqual(other.manifests.get('lt/copy:2')?.bytes, img.manifest);
        assert.equal(other.blobs.get(img.big)?.length, reg.blobs.get(img.big)?.length);
        const events: TransferProgress[] = [];
        await pushImage(store, `${other.host}/lt/copy:2`, { onProgress: (e) => events.push(e) });
        assert.equal(events.filter((e) => e.status === 'Layer already exists').length, 3);
        await store.tag(`${other.host}/lt/copy:2`, `${other.host}/lt/third:1`);
        const mounted: TransferProgress[] = [];
        await pushImage(store, `${other.host}/lt/third:1`, { onProgress: (e) => mounted.push(e) });
        assert.equal(mounted.filter((e) => e.status === 'Mounted from lt/copy').length, 3);
      } finally { await other.stop(); }
      const strict = new FakeRegistry();
      strict.maxMonolithic = 100_000;
      await strict.start();
      try {
        await store.tag(`${reg.host}/lt/src:1`, `${strict.host}/lt/chunked:1`);
        await pushImage(store, `${strict.host}/lt/chunked:1`, { chunkSize: 128 * 1024 });
        assert.deepEqual(strict.blobs.get(img.big), reg.blobs.get(img.big), 'a blob refused whole (413) arrives in PATCH chunks');
        const size = reg.blobs.get(img.big)!.length;
        assert.deepEqual(strict.patches, [`0-${128 * 1024 - 1}`, `${128 * 1024}-${256 * 1024 - 1}`, `${256 * 1024}-${size - 1}`]);
        assert.deepEqual(strict.manifests.get('lt/chunked:1')?.bytes, img.manifest);
      } finally { await strict.stop(); }
    } finally { await reg.stop(); }
  });
});
