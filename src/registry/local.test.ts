import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { openBuiltinRegistry, type LocalRegistry } from './local.js';
import { sha, tokens } from './testing.js';
import { RegistryError } from './errors.js';

let dir = '';
let local: LocalRegistry;
let server: http.Server;
let url = '';

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lantern-local-registry-'));
  const reg = await openBuiltinRegistry(path.join(dir, 'registry'));
  local = reg.local;
  server = http.createServer((req, res) => { void reg.handler(req, res, tokens.node); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await rm(dir, { recursive: true, force: true });
});

test('blobs and a manifest put in process are served byte for byte over HTTP', async () => {
  const layer = Buffer.from('layer bytes');
  const config = Buffer.from('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}');
  const file = path.join(dir, 'layer');
  await writeFile(file, layer);
  await local.putBlob('library/demo', sha(layer), file);
  await local.putBlob('library/demo', sha(config), Readable.from([config]));
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha(layer), size: layer.length }] }));
  assert.equal(await local.putManifest('library/demo', manifest, 'v1'), sha(manifest));
  assert.equal(await local.tagDigest('library/demo', 'v1'), sha(manifest));

  const m = await fetch(`${url}/v2/library/demo/manifests/v1`);
  assert.equal(m.status, 200);
  assert.deepEqual(Buffer.from(await m.arrayBuffer()), manifest);
  assert.equal(m.headers.get('docker-content-digest'), sha(manifest));
  const b = await fetch(`${url}/v2/library/demo/blobs/${sha(layer)}`);
  assert.deepEqual(Buffer.from(await b.arrayBuffer()), layer);
  assert.deepEqual(await (await fetch(`${url}/v2/library/demo/tags/list`)).json(), { name: 'library/demo', tags: ['v1'] });
});

test('content that does not match its digest is refused and nothing is stored', async () => {
  await assert.rejects(local.putBlob('library/bad', sha('expected'), Readable.from([Buffer.from('other')])),
    (e: unknown) => e instanceof RegistryError && e.code === 'DIGEST_INVALID');
  const head = await fetch(`${url}/v2/library/bad/blobs/${sha('expected')}`, { method: 'HEAD' });
  assert.equal(head.status, 404);
});

test('a manifest over blobs its repository lacks is refused', async () => {
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha('nope'), size: 4 }, layers: [] }));
  await assert.rejects(local.putManifest('library/other', manifest, 'v1'), (e: unknown) => e instanceof RegistryError && e.code === 'MANIFEST_BLOB_UNKNOWN');
  assert.equal(await local.tagDigest('library/other', 'v1'), undefined);
});

test('a repository name outside the grammar cannot escape the registry directory', async () => {
  await assert.rejects(local.putBlob('../escape', sha('x'), Readable.from([Buffer.from('x')])), (e: unknown) => e instanceof RegistryError && e.code === 'NAME_INVALID');
});
