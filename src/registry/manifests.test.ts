import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestRegistry, errorCode, sha } from './testing.js';
import { MediaTypes } from './manifest.js';

const descriptor = (mediaType: string, d: string, size: number): object => ({ mediaType, digest: d, size });

describe('registry manifests, tags and catalog', () => {
  let reg: TestRegistry;
  let manifest: Buffer;
  before(async () => {
    reg = await TestRegistry.start();
    const config = '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}';
    const layer = 'layer bytes';
    const c = await reg.pushBlob('library/busybox', config);
    const l = await reg.pushBlob('library/busybox', layer);
    // Odd spacing on purpose: the registry must keep the exact bytes.
    manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaTypes.dockerManifest, config: descriptor('application/vnd.docker.container.image.v1+json', c, config.length), layers: [descriptor('application/vnd.docker.image.rootfs.diff.tar.gzip', l, layer.length)] }, null, 3));
  });
  after(async () => { await reg.stop(); });

  const put = (name: string, ref: string, body: Buffer, type: string): Promise<Response> =>
    reg.fetch(`/v2/${name}/manifests/${ref}`, { method: 'PUT', body: new Uint8Array(body), headers: { 'content-type': type } });

  test('a manifest is stored byte-identical and served by tag and by digest with its type and digest', async () => {
    const r = await put('library/busybox', 'latest', manifest, MediaTypes.dockerManifest);
    assert.equal(r.status, 201);
    assert.equal(r.headers.get('docker-content-digest'), sha(manifest));
    for (const ref of ['latest', sha(manifest)]) {
      const get = await reg.fetch(`/v2/library/busybox/manifests/${ref}`, { headers: { accept: MediaTypes.dockerManifest } });
      assert.equal(get.status, 200);
      assert.equal(get.headers.get('content-type'), MediaTypes.dockerManifest);
      assert.equal(get.headers.get('docker-content-digest'), sha(manifest));
      assert.deepEqual(Buffer.from(await get.arrayBuffer()), manifest);
    }
    const head = await reg.fetch('/v2/library/busybox/manifests/latest', { method: 'HEAD' });
    assert.equal(head.headers.get('content-length'), String(manifest.length));
  });

  test('a manifest referencing a blob the repository lacks is MANIFEST_BLOB_UNKNOWN', async () => {
    const r = await put('other/repo', 'v1', manifest, MediaTypes.dockerManifest);
    assert.equal(r.status, 400);
    assert.equal(await errorCode(r), 'MANIFEST_BLOB_UNKNOWN');
    assert.equal(await errorCode(await reg.fetch('/v2/other/repo/manifests/v1')), 'MANIFEST_UNKNOWN');
  });

  test('PUT by a digest that is not the body\'s is DIGEST_INVALID', async () => {
    const r = await put('library/busybox', sha('not it'), manifest, MediaTypes.dockerManifest);
    assert.equal(r.status, 400);
    assert.equal(await errorCode(r), 'DIGEST_INVALID');
  });

  test('an OCI index needs its child manifests in the repository', async () => {
    const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaTypes.ociIndex, manifests: [{ ...descriptor(MediaTypes.dockerManifest, sha(manifest), manifest.length), platform: { architecture: 'amd64', os: 'linux' } }] }));
    assert.equal(await errorCode(await put('lonely', 'multi', index, MediaTypes.ociIndex)), 'MANIFEST_BLOB_UNKNOWN');
    assert.equal((await put('library/busybox', 'multi', index, MediaTypes.ociIndex)).status, 201);
    const get = await reg.fetch('/v2/library/busybox/manifests/multi');
    assert.equal(get.headers.get('content-type'), MediaTypes.ociIndex);
    assert.deepEqual(Buffer.from(await get.arrayBuffer()), index);
  });

  test('tags list sorts and paginates with n, last and a Link header', async () => {
    for (const t of ['v3', 'v1', 'v2', 'a0']) assert.equal((await put('paged', t, Buffer.from('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}'), MediaTypes.ociIndex)).status, 201);
    const all = await reg.fetch('/v2/paged/tags/list');
    assert.deepEqual(await all.json(), { name: 'paged', tags: ['a0', 'v1', 'v2', 'v3'] });
    const first = await reg.fetch('/v2/paged/tags/list?n=2');
    assert.deepEqual(((await first.json()) as { tags: string[] }).tags, ['a0', 'v1']);
    assert.equal(first.headers.get('link'), '</v2/paged/tags/list?n=2&last=v1>; rel="next"');
    const next = await reg.fetch('/v2/paged/tags/list?n=2&last=v1');
    assert.deepEqual(((await next.json()) as { tags: string[] }).tags, ['v2', 'v3']);
    assert.equal(next.headers.get('link'), null);
    assert.equal(await errorCode(await reg.fetch('/v2/nowhere/tags/list')), 'NAME_UNKNOWN');
  });

  test('the catalog lists nested repository names', async () => {
    await reg.pushBlob('team/app', 'a');
    await reg.pushBlob('team/app/x', 'b');
    const body = await (await reg.fetch('/v2/_catalog')).json() as { repositories: string[] };
    assert.ok(['library/busybox', 'team/app', 'team/app/x'].every((n) => body.repositories.includes(n)), JSON.stringify(body));
    const page = await reg.fetch('/v2/_catalog?n=1');
    assert.equal(((await page.json()) as { repositories: string[] }).repositories.length, 1);
    assert.match(page.headers.get('link') ?? '', /rel="next"/);
  });

  test('DELETE by digest removes the manifest and its tags; DELETE by tag removes the tag', async () => {
    const m = Buffer.from('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[],"annotations":{"x":"y"}}');
    await put('gone', 'a', m, MediaTypes.ociIndex);
    await put('gone', 'b', m, MediaTypes.ociIndex);
    assert.equal((await reg.fetch('/v2/gone/manifests/b', { method: 'DELETE' })).status, 202);
    assert.deepEqual(((await (await reg.fetch('/v2/gone/tags/list')).json()) as { tags: string[] }).tags, ['a']);
    assert.equal((await reg.fetch(`/v2/gone/manifests/${sha(m)}`, { method: 'DELETE' })).status, 202);
    assert.equal(await errorCode(await reg.fetch(`/v2/gone/manifests/${sha(m)}`)), 'MANIFEST_UNKNOWN');
    assert.deepEqual(((await (await reg.fetch('/v2/gone/tags/list')).json()) as { tags: string[] }).tags, []);
  });
});
