import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { TestServer, busyboxArchive } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';
import { DroppingProxy, TestRegistry } from './harness/registry.js';
import { busyboxPod, waitContainer } from './harness/pods.js';

interface ImageItem { names: string[]; architecture: string; digest: string }

const sha = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** The busybox archive's layer blob digest (from its OCI manifest). */
function busyboxLayer(): string {
  const index = JSON.parse(execFileSync('tar', ['-xOf', busyboxArchive(), 'index.json'], { encoding: 'utf8' })) as { manifests: { digest: string }[] };
  const manifest = JSON.parse(execFileSync('tar', ['-xOf', busyboxArchive(), `blobs/sha256/${index.manifests[0]!.digest.slice(7)}`], { encoding: 'utf8' })) as { layers: { digest: string }[] };
  return manifest.layers[0]!.digest;
}

describe('lcctl login, push, pull and tag against the reference registry', () => {
  const server = new TestServer();
  const cli = new Cli(server);
  const registry = new TestRegistry('ann', 'Secr3t-pass');
  const proxy = new DroppingProxy('');
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-registry-e2e-'));
  let repo = '';

  const images = async (): Promise<ImageItem[]> => (await server.api<{ items: ImageItem[] }>('GET', '/apis/lantern.dev/v1/images')).body.items;

  before(async () => {
    await registry.start();
    proxy.target = registry.host;
    await proxy.start();
    await server.start();
    repo = `${registry.host}/lt/busybox:1`;
  });
  after(async () => {
    await server.stop();
    await proxy.stop();
    await registry.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('login checks the password against the registry and saves it only when right, in a 0600 file', async () => {
    const bad = await cli.expect(1, ['login', '-u', 'ann', '--password-stdin', registry.host], 'wrong\n');
    assert.match(bad.stderr, /incorrect username or password/);
    assert.doesNotMatch(readFileSync(server.configFile, 'utf8'), /auths:/);
    assert.equal(await cli.ok(['login', '-u', 'ann', '--password-stdin', registry.host], `${registry.password}\n`), 'Login Succeeded\n');
    assert.equal(statSync(server.configFile).mode & 0o777, 0o600);
    assert.match(readFileSync(server.configFile, 'utf8'), new RegExp(`"${registry.host}":`));
    assert.equal(await cli.ok(['login', '-u', 'ann', '--password-stdin', proxy.host], `${registry.password}\n`), 'Login Succeeded\n');
  });

  test('push busybox, remove it, pull it back and run a container from it', async () => {
    await cli.importBusybox();
    await cli.ok(['tag', 'busybox', repo]);
    await cli.ok(['push', repo]);
    const pushed = (await images()).find((i) => i.names.includes(`${repo}`));
    assert.ok(pushed, 'tag named the image');
    const inRegistry = await fetch(`http://${registry.host}/v2/lt/busybox/manifests/1`, { method: 'HEAD', headers: { authorization: registry.basic, accept: 'application/vnd.oci.image.manifest.v1+json' } });
    assert.equal(inRegistry.headers.get('docker-content-digest'), pushed.digest, 'the registry holds the stored manifest byte for byte');
    await cli.ok(['rmi', 'busybox:latest']);
    await cli.ok(['rmi', repo]);
    assert.equal((await images()).length, 0);
    const out = await cli.ok(['pull', repo]);
    assert.match(out, new RegExp(`^Status: Downloaded newer image for ${repo}$`, 'm'));
    assert.match(out, new RegExp(`^${repo}$`, 'm'));
    assert.match(out, /: Download complete$/m, 'plain progress lines per layer when not on a terminal');
    assert.equal((await images())[0]?.digest, pushed.digest);
    assert.equal(await cli.ok(['run', '--rm', repo, 'echo', 'pulled']), 'pulled\n');
    const again = await cli.ok(['pull', repo]);
    assert.match(again, /Status: Image is up to date/);
  });

  test('an interrupted pull fails with a clear message, and the retry fetches only the missing bytes', async () => {
    await cli.ok(['rmi', repo]);
    const layer = busyboxLayer();
    proxy.drop = { digest: layer, after: 300_000 };
    const ref = `${proxy.host}/lt/busybox:1`;
    const cut = await cli.expect(1, ['pull', ref]);
    assert.match(cut.stderr, /stopped at \d+ of \d+ bytes.*pull again to resume/);
    const before = proxy.seen.length;
    await cli.ok(['pull', ref]);
    const retry = proxy.seen.slice(before).filter((r) => r.method === 'GET' && r.path.includes('/blobs/'));
    assert.deepEqual(retry.map((r) => r.path.split('/').pop()), [layer], 'only the unfinished layer is fetched again (the config is kept)');
    assert.match(retry[0]?.range ?? '', /^bytes=([1-9]\d*)-$/);
    assert.ok(Number(/=(\d+)-/.exec(retry[0]!.range!)![1]) <= 300_000);
    assert.equal(await cli.ok(['run', '--rm', ref, 'echo', 'resumed']), 'resumed\n');
  });

  test('a multi-platform index resolves to this node, --platform picks another, an absent one lists what exists', async () => {
    const src = path.join(dir, 'layer');
    mkdirSync(src, { recursive: true });
    writeFileSync(path.join(src, 'hello'), 'multi\n');
    const tar = path.join(dir, 'layer.tar');
    execFileSync('tar', ['-cf', tar, '-C', src, 'hello']);
    const tarBytes = readFileSync(tar);
    const layer = await registry.putBlob('lt/multi', gzipSync(tarBytes), 'application/vnd.oci.image.layer.v1.tar+gzip');
    const native = process.arch === 'arm64' ? 'arm64' : 'amd64';
    const manifests = [];
    for (const arch of ['amd64', 'arm64']) {
      const config = await registry.putBlob('lt/multi', Buffer.from(JSON.stringify({ architecture: arch, os: 'linux', config: { Cmd: ['/bin/sh'] }, rootfs: { type: 'layers', diff_ids: [sha(tarBytes)] } })), 'application/vnd.oci.image.config.v1+json');
      const m = await registry.putManifest('lt/multi', `only-${arch}`, { schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers: [layer] }, 'application/vnd.oci.image.manifest.v1+json');
      manifests.push({ ...m, platform: { os: 'linux', architecture: arch } });
    }
    await registry.putManifest('lt/multi', '1', { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }, 'application/vnd.oci.image.index.v1+json');
    const ref = `${registry.host}/lt/multi:1`;
    await cli.ok(['pull', '-q', ref]);
    assert.equal((await images()).find((i) => i.names.includes(ref))?.architecture, native);
    const other = native === 'amd64' ? 'arm64' : 'amd64';
    await cli.ok(['pull', '--platform', `linux/${other}`, ref]);
    assert.equal((await images()).find((i) => i.names.includes(ref))?.architecture, other);
    const none = await cli.expect(1, ['pull', '--platform', 'linux/s390x', ref]);
    assert.match(none.stderr, /no image for platform linux\/s390x \(available: linux\/amd64, linux\/arm64\)/);
  });

  test('pods pull their image on demand per imagePullPolicy; failures show ErrImagePull, then ImagePullBackOff', async () => {
    proxy.injectAuth = registry.basic;
    const ref = `${proxy.host}/lt/busybox:1`;
    await cli.ok(['rmi', ref]);
    assert.equal(await cli.ok(['run', '--rm', ref, 'echo', 'on-demand']), 'on-demand\n');
    assert.ok((await images()).some((i) => i.names.includes(ref)), 'the pulled image stays on the node');

    const never = busyboxPod('never', ['true'], { container: { image: `${registry.host}/lt/absent:1`, imagePullPolicy: 'Never' } });
    assert.equal((await server.api('POST', '/api/v1/namespaces/default/pods', never)).status, 201);
    await waitContainer(server, 'never', 'ErrImageNeverPull', (cs) => cs.state.waiting?.reason === 'ErrImageNeverPull');

    const denied = busyboxPod('denied', ['true'], { container: { image: `${registry.host}/lt/busybox:1`, imagePullPolicy: 'Always' } });
    assert.equal((await server.api('POST', '/api/v1/namespaces/default/pods', denied)).status, 201);
    await waitContainer(server, 'denied', 'ErrImagePull', (cs) => cs.state.waiting?.reason === 'ErrImagePull');
    const backoff = await waitContainer(server, 'denied', 'ImagePullBackOff', (cs) => cs.state.waiting?.reason === 'ImagePullBackOff');
    assert.match(backoff.status?.containerStatuses?.[0]?.state.waiting?.message ?? '', /requires authentication/);
    const described = await cli.ok(['describe', 'pod', 'denied']);
    assert.match(described, /ImagePullBackOff/);
    assert.match(described, /requires authentication/);
    await cli.ok(['delete', 'pod', 'never', 'denied', '--now']);
    proxy.injectAuth = undefined;
  });

  test('a pod whose image pull hangs shows it is pulling and can be deleted at once', async () => {
    proxy.injectAuth = registry.basic;
    const ref = `${proxy.host}/lt/busybox:1`;
    await cli.ok(['rmi', ref]);
    proxy.hold = busyboxLayer();
    try {
      assert.equal((await server.api('POST', '/api/v1/namespaces/default/pods', busyboxPod('slow', ['true'], { container: { image: ref } }))).status, 201);
      const pulling = await waitContainer(server, 'slow', 'pulling', (cs) => /Pulling image/.test(cs.state.waiting?.message ?? ''));
      assert.equal(pulling.status?.containerStatuses?.[0]?.state.waiting?.reason, 'ContainerCreating');
      await cli.ok(['delete', 'pod', 'slow', '--now']);
      assert.equal((await server.api('GET', '/api/v1/namespaces/default/pods/slow')).status, 404, 'deleted while the pull still hangs');
    } finally {
      proxy.release();
      proxy.injectAuth = undefined;
    }
  });

  test('without credentials the registry refuses, and logout forgets them', async () => {
    assert.match(await cli.ok(['logout', registry.host]), /Removing login credentials/);
    const r = await cli.expect(1, ['pull', repo]);
    assert.match(r.stderr, /requires authentication: run lcctl login/);
    const p = await cli.expect(1, ['push', `${registry.host}/lt/none:1`]);
    assert.match(p.stderr, /not found on the node/);
  });
});
