import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { LocalRegistry } from './local.js';
import { RegistryStorage } from './storage.js';
import { collectRegistryGarbage } from './gc.js';
import { parseDigest } from './names.js';
import { parseManifest } from './manifest.js';
import { sha } from './testing.js';

const ociManifest = 'application/vnd.oci.image.manifest.v1+json';
const later = (): number => Date.now() + 2 * 3_600_000;

/** An image of one layer in `repo` under `tag`; returns the digests of its layer, config and manifest. */
async function pushImage(local: LocalRegistry, repo: string, tag: string, content: string): Promise<{ layer: string; config: string; manifest: string }> {
  const layer = Buffer.from(`layer ${content}`);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha(layer)] } }));
  await local.putBlob(repo, sha(layer), Readable.from([layer]));
  await local.putBlob(repo, sha(config), Readable.from([config]));
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: ociManifest,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha(layer), size: layer.length }] }));
  await local.putManifest(repo, manifest, tag, ociManifest);
  return { layer: sha(layer), config: sha(config), manifest: sha(manifest) };
}

async function withRegistry(fn: (storage: RegistryStorage, local: LocalRegistry) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lantern-registry-gc-'));
  try {
    const storage = await RegistryStorage.open(dir);
    await fn(storage, new LocalRegistry(storage));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const stored = async (storage: RegistryStorage, digest: string): Promise<boolean> => stat(storage.blobPath(parseDigest(digest))).then(() => true, () => false);

test('garbage collection deletes what no manifest references, keeps every image whole, and unlinks what it deleted', () => withRegistry(async (storage, local) => {
  const kept = await pushImage(local, 'team/app', 'v1', 'one');
  const dropped = await pushImage(local, 'team/app', 'v2', 'two');
  const stray = Buffer.from('uploaded, but no manifest ever came');
  await local.putBlob('team/app', sha(stray), Readable.from([stray]));
  // Deleting v2's manifest (as `DELETE /v2/team/app/manifests/DIGEST` does) leaves its blobs unreferenced.
  assert.equal(await storage.deleteManifest('team/app', parseDigest(dropped.manifest)), true);

  const r = await collectRegistryGarbage(storage, { graceMs: 3_600_000, now: later() });
  assert.equal(r.deletedBlobs, 4, 'v2 layer, config and manifest bytes, and the stray upload');
  for (const d of [kept.layer, kept.config, kept.manifest]) assert.equal(await stored(storage, d), true, `${d} of v1 is kept`);
  for (const d of [dropped.layer, dropped.config, dropped.manifest, sha(stray)]) assert.equal(await stored(storage, d), false, `${d} is deleted`);
  assert.equal(await storage.blobSize('team/app', parseDigest(sha(stray))), undefined, 'the repository no longer claims the blob');
  assert.equal(r.unlinked, 3, 'the links of the two layers/config and of the stray blob');
  const v1 = await storage.getManifest('team/app', parseDigest(kept.manifest));
  assert.ok(v1, 'v1 is still served');
  assert.equal((await storage.resolveTag('team/app', 'v1'))?.text, kept.manifest);
  assert.deepEqual(await collectRegistryGarbage(storage, { graceMs: 3_600_000, now: later() }), { deletedBlobs: 0, reclaimedBytes: 0, unlinked: 0 }, 'a second pass finds nothing');
}));

test('a blob shared with a live image, and a recent upload still waiting for its manifest, are kept', () => withRegistry(async (storage, local) => {
  const a = await pushImage(local, 'one', 'latest', 'shared');
  const b = await pushImage(local, 'two', 'latest', 'shared'); // the same layer and config in another repository
  assert.equal(a.layer, b.layer);
  await storage.deleteManifest('two', parseDigest(b.manifest));
  const fresh = Buffer.from('a push in progress');
  await local.putBlob('two', sha(fresh), Readable.from([fresh]));
  const r = await collectRegistryGarbage(storage, { graceMs: 3_600_000 });
  assert.equal(r.deletedBlobs, 0, 'everything is either referenced by one/latest or younger than the grace period');
  assert.equal(await stored(storage, a.layer), true);
  assert.equal(await stored(storage, sha(fresh)), true);
}));

test('a manifest pushed while a collection runs waits for it, and is refused rather than stored over a deleted blob', () => withRegistry(async (storage, local) => {
  const old = Buffer.from('unreferenced for hours');
  await local.putBlob('late/push', sha(old), Readable.from([old]));
  const config = Buffer.from('{"rootfs":{"type":"layers","diff_ids":[]}}');
  await local.putBlob('late/push', sha(config), Readable.from([config]));
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: ociManifest,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha(old), size: old.length }] }));
  const gc = collectRegistryGarbage(storage, { graceMs: 3_600_000, now: later() });
  const put = storage.storeManifest('late/push', parseDigest(sha(manifest)), parseManifest(manifest, ociManifest), manifest, 'v1');
  assert.equal((await gc).deletedBlobs, 2);
  await assert.rejects(put, (e: Error) => /MANIFEST_BLOB_UNKNOWN|not in repository "late\/push"/.test(`${(e as { code?: string }).code ?? ''} ${e.message}`));
  assert.equal(await storage.resolveTag('late/push', 'v1'), undefined, 'no tag points at a manifest with a missing blob');
}));
