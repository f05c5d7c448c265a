import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { lstat, mkdir, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { OciImageStore } from './store.js';
import { ociArch } from './platform.js';
import { cleanup, digestOf, makeBusyboxArchive, tarDir, tempDir, untar, writeLegacyDockerArchive } from './fixtures.js';

const exec = promisify(execFile);
const PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

describe('busybox image archive', () => {
  let dir = '';
  let archive = '';
  before(async () => {
    dir = await tempDir('busybox');
    archive = join(dir, 'out', 'busybox.tar');
    await makeBusyboxArchive(archive);
  });
  after(async () => { await cleanup(dir); });

  test('the script is deterministic and skopeo reads the archive as OCI and as docker-save', async () => {
    const again = join(dir, 'again.tar');
    await makeBusyboxArchive(again);
    assert.equal(digestOf(await readFile(again)), digestOf(await readFile(archive)));
    for (const transport of ['oci-archive', 'docker-archive']) {
      const { stdout } = await exec('skopeo', ['inspect', '--config', `${transport}:${archive}`]);
      const config = JSON.parse(stdout) as { architecture: string; os: string; config: { Cmd: string[] } };
      assert.equal(config.architecture, ociArch());
      assert.equal(config.os, 'linux');
      assert.deepEqual(config.config.Cmd, ['sh']);
    }
  });

  test('imports as OCI with names, config, ID and an unpacked rootfs', async () => {
    const store = new OciImageStore(join(dir, 'store-oci'));
    const [image, ...rest] = await store.importArchive(archive);
    assert.ok(image);
    assert.equal(rest.length, 0);
    assert.deepEqual(image.names, ['docker.io/library/busybox:latest']);
    assert.deepEqual(image.config.Cmd, ['sh']);
    assert.deepEqual(image.config.Env, [PATH_ENV]);
    assert.equal(image.architecture, ociArch());
    assert.equal(image.os, 'linux');
    assert.match(image.id, /^sha256:[a-f0-9]{64}$/);
    assert.match(image.digest, /^sha256:[a-f0-9]{64}$/);
    const layout = join(dir, 'layout');
    await untar(archive, layout);
    const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    assert.equal(image.digest, index.manifests[0]?.digest, 'digest is the OCI manifest digest');

    for (const ref of ['busybox', 'busybox:latest', 'docker.io/library/busybox:latest', `busybox@${image.digest}`,
      image.id, image.id.slice(7), image.id.slice(7, 13), `sha256:${image.id.slice(7, 11)}`]) {
      assert.equal((await store.resolve(ref))?.id, image.id, `resolve(${ref})`);
    }
    assert.equal(await store.resolve('busybox:1'), undefined);
    assert.equal(await store.resolve('alpine'), undefined);

    const dirs = await store.layerDirs(image);
    assert.equal(dirs.length, 1);
    const fs = dirs[0] ?? '';
    assert.equal(await readlink(join(fs, 'bin/sh')), '/bin/busybox');
    assert.equal(await readlink(join(fs, 'usr/bin/env')), '/bin/busybox');
    assert.ok((await stat(join(fs, 'bin/busybox'))).mode & 0o111);
    assert.equal((await stat(join(fs, 'tmp'))).mode & 0o7777, 0o1777);
    assert.match(await readFile(join(fs, 'etc/passwd'), 'utf8'), /^nobody:x:65534:65534:/m);
    assert.match(await readFile(join(fs, 'etc/group'), 'utf8'), /^root:x:0:/m);
    assert.ok((await lstat(join(fs, 'var/www'))).isDirectory());
    const { stdout } = await exec('chroot', [fs, '/bin/sh', '-c', 'echo hello from $(id -un)']);
    assert.equal(stdout, 'hello from root\n');
  });

  test('imports the same image from a docker-save-only archive (gzip blobs under blobs/sha256)', async () => {
    const layout = join(dir, 'layout-docker');
    await untar(archive, layout);
    await rm(join(layout, 'index.json'));
    await rm(join(layout, 'oci-layout'));
    const dockerOnly = join(dir, 'docker-only.tar');
    await tarDir(layout, dockerOnly);

    const oci = new OciImageStore(join(dir, 'store-cmp'));
    const [fromOci] = await oci.importArchive(archive);
    const store = new OciImageStore(join(dir, 'store-docker'));
    const [image] = await store.importArchive(dockerOnly);
    assert.ok(image && fromOci);
    assert.deepEqual(image.names, ['docker.io/library/busybox:latest']);
    assert.equal(image.id, fromOci.id, 'same config digest, so the same image ID');
    assert.deepEqual(image.diffIds, fromOci.diffIds);
    assert.deepEqual(image.config, fromOci.config);
    // The manifest the store wrote for it is a real blob.
    const manifest = JSON.parse(await readFile(join(dir, 'store-docker/blobs/sha256', image.digest.slice(7)), 'utf8')) as { config: { digest: string } };
    assert.equal(manifest.config.digest, image.id);
    assert.equal(digestOf(await readFile(join(dir, 'store-docker/blobs/sha256', image.digest.slice(7)))), image.digest);
  });

  test('imports an old docker-save archive with uncompressed, symlinked layer.tar files', async () => {
    const layout = join(dir, 'layout-legacy');
    await untar(archive, layout);
    const manifest = JSON.parse(await readFile(join(layout, 'manifest.json'), 'utf8')) as { Layers: string[] }[];
    const gz = await readFile(join(layout, manifest[0]?.Layers[0] ?? ''));
    const base = join(dir, 'base.tar');
    await writeFile(base, gunzipSync(gz));
    const extraDir = join(dir, 'extra');
    await mkdir(join(extraDir, 'srv'), { recursive: true });
    await writeFile(join(extraDir, 'srv', 'hello.txt'), 'hi\n');
    const extra = join(dir, 'extra.tar');
    await tarDir(extraDir, extra);
    const legacy = join(dir, 'legacy.tar');
    const written = await writeLegacyDockerArchive(legacy, [
      { name: 'busybox:old', layers: [base] },
      { name: 'myreg:5000/team/app:v1', layers: [base, extra], cmd: ['cat', '/srv/hello.txt'] },
    ], dir);
    const { stdout } = await exec('tar', ['-tvf', legacy]);
    assert.match(stdout, /^l.* -> \.\.\/[a-f0-9]{64}\/layer\.tar$/m, 'the second image links the shared layer');

    const store = new OciImageStore(join(dir, 'store-legacy'));
    const images = await store.importArchive(legacy);
    assert.deepEqual(images.map((i) => i.names), [['docker.io/library/busybox:old'], ['myreg:5000/team/app:v1']]);
    assert.deepEqual(images.map((i) => i.id), written.map((w) => w.configDigest));
    const app = await store.resolve('myreg:5000/team/app:v1');
    assert.ok(app);
    assert.deepEqual(app.config.Cmd, ['cat', '/srv/hello.txt']);
    const dirs = await store.layerDirs(app);
    assert.equal(dirs.length, 2);
    assert.equal(await readFile(join(dirs[0] ?? '', 'srv/hello.txt'), 'utf8'), 'hi\n');
    assert.deepEqual(dirs.slice(1), await store.layerDirs(images[0] ?? app), 'the shared layer is one snapshot');
  });

  test('imports a docker-archive written by skopeo ("<hex>.json" config, uncompressed layer)', async () => {
    const converted = join(dir, 'skopeo-docker.tar');
    await exec('skopeo', ['copy', '-q', `oci-archive:${archive}`, `docker-archive:${converted}:busybox:skopeo`]);
    const store = new OciImageStore(join(dir, 'store-skopeo'));
    const [image] = await store.importArchive(converted);
    assert.deepEqual(image?.names, ['docker.io/library/busybox:skopeo']);
    const original = await new OciImageStore(join(dir, 'store-skopeo-cmp')).importArchive(archive);
    assert.equal(image?.id, original[0]?.id);
    assert.deepEqual(image?.diffIds, original[0]?.diffIds);
  });

  test('a gzip-compressed archive is recognised by its magic bytes, whatever its name', async () => {
    const packed = join(dir, 'busybox.image');
    await writeFile(packed, gzipSync(await readFile(archive)));
    const store = new OciImageStore(join(dir, 'store-gz'));
    const [image] = await store.importArchive(packed);
    assert.deepEqual(image?.names, ['docker.io/library/busybox:latest']);
  });

  test('a name given at import is added to the archive names', async () => {
    const store = new OciImageStore(join(dir, 'store-ref'));
    const [image] = await store.importArchive(archive, 'myimage:1');
    assert.deepEqual(image?.names, ['docker.io/library/busybox:latest', 'docker.io/library/myimage:1']);
    assert.equal((await store.resolve('myimage:1'))?.id, image?.id);
    await assert.rejects(store.importArchive(archive, 'Bad/Name'), /invalid image reference "Bad\/Name"/);
  });
});
