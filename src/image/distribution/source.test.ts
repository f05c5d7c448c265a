import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cleanup, digestOf, tarDir, tempDir } from '../fixtures.js';
import { MediaType } from '../formats.js';
import { OciImageStore } from '../store.js';
import { FakeRegistry } from './fake-registry.js';
import { pullImage } from './pull.js';
import { RegistryClient } from './registry.js';

let dir = '';
const reg = new FakeRegistry({ auth: 'bearer' });

before(async () => { dir = await tempDir('pull-source'); await reg.start(); });
after(async () => { await reg.stop(); await cleanup(dir); });

test('a pull from another source (the server registry) names the image as the pod wrote it', async () => {
  const src = join(dir, 'layer-src');
  await mkdir(src, { recursive: true });
  await writeFile(join(src, 'hello'), 'from the server\n');
  await tarDir(src, join(dir, 'layer.tar'));
  const layer = await readFile(join(dir, 'layer.tar'));
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [digestOf(layer)] } }));
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, digest: reg.addBlob(config), size: config.length },
    layers: [{ mediaType: MediaType.ociLayer, digest: reg.addBlob(layer), size: layer.length }] }));
  const digest = reg.addManifest('ghcr.io/org/app', 'v1', manifest, MediaType.ociManifest);

  const store = new OciImageStore(join(dir, 'store'));
  const record = await pullImage(store, 'ghcr.io/org/app:v1', { source: { reference: `${reg.host}/ghcr.io/org/app:v1`, auth: { registrytoken: 'good-token' } } });
  assert.deepEqual(record.names, ['ghcr.io/org/app:v1'], 'named as asked, not after the source');
  assert.equal(record.digest, digest, 'the same manifest bytes');
  assert.ok(reg.seen.every((r) => r.authorization === 'Bearer good-token'), 'the node credential goes with every request, unasked');
  assert.ok(reg.seen.some((r) => r.path === '/v2/ghcr.io/org/app/manifests/v1'));
});

test('an explicit scheme is kept for loopback hosts', () => {
  assert.equal(new RegistryClient('127.0.0.1:6443', { scheme: 'https', ca: 'PEM' }).base, 'https://127.0.0.1:6443');
  assert.equal(new RegistryClient('127.0.0.1:6443', { scheme: 'http' }).base, 'http://127.0.0.1:6443');
});
