import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { cleanup, digestOf, tarDir, tempDir } from '../fixtures.js';
import { MediaType } from '../formats.js';
import { OciImageStore } from '../store.js';
import { FakeRegistry } from './fake-registry.js';
import { pullImage } from './pull.js';
import type { TransferProgress } from './types.js';

interface Published { tars: Buffer[]; blobs: string[]; diffIds: string[] }

/** Publishes gzip layers (one file each) as repo:1; `diffIds` changes what the config lists. */
async function publish(reg: FakeRegistry, dir: string, repo: string, contents: Buffer[], opts: { diffIds?: (real: string[]) => string[]; blobs?: Buffer[] } = {}): Promise<Published> {
  const tars: Buffer[] = [];
  for (const [i, content] of contents.entries()) {
    const src = join(dir, `${repo.replace(/\//g, '_')}-src${i}`);
    await mkdir(src, { recursive: true });
    await writeFile(join(src, `file${i}`), content);
    await tarDir(src, `${src}.tar`);
    tars.push(await readFile(`${src}.tar`));
  }
  const gz = opts.blobs ?? tars.map((t) => gzipSync(t));
  const diffIds = opts.diffIds?.(tars.map(digestOf)) ?? tars.map(digestOf);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: diffIds } }));
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, digest: reg.addBlob(config), size: config.length },
    layers: gz.map((b) => ({ mediaType: MediaType.ociLayerGzip, digest: reg.addBlob(b), size: b.length })),
  }));
  reg.addManifest(repo, '1', manifest, MediaType.ociManifest);
  return { tars, blobs: gz.map(digestOf), diffIds };
}

/** A proxy in front of the registry that holds back one blob until `release()` resolves. */
async function holdingProxy(target: string, blob: string, release: () => Promise<void>): Promise<{ host: string; server: Server }> {
  const server = createServer((req, res) => {
    const forward = (): void => {
      const up = request({ host: '127.0.0.1', port: Number(target.split(':')[1]), path: req.url, method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => res.destroy());
      req.pipe(up);
    };
    if (req.url?.endsWith(`/blobs/${blob}`)) void release().then(forward);
    else forward();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { host: `localhost:${(server.address() as AddressInfo).port}`, server };
}

const hex = (d: string): string => d.slice('sha256:'.length);
const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

describe('pull: layers unpacked as they arrive, decompressed once, checked against the config', () => {
  let dir = '';
  const reg = new FakeRegistry();
  before(async () => { dir = await tempDir('pull-pipeline'); await reg.start(); });
  after(async () => { await reg.stop(); await cleanup(dir); });

  test('a layer is unpacked while the next one is still downloading, and adding the image reads no blob again', async () => {
    const img = await publish(reg, dir, 'lt/piped', [randomBytes(200_000), Buffer.from('second layer\n')]);
    const root = join(dir, 'store-piped');
    const first = join(root, 'snapshots', hex(img.diffIds[0]!), 'fs');
    let firstWasUnpacked = false;
    // The second blob is only served once the first layer's snapshot exists: a pull that unpacked
    // nothing before every download ended would wait here until the fallback below.
    const proxy = await holdingProxy(reg.host, img.blobs[1]!, async () => {
      for (let i = 0; i < 1000 && !firstWasUnpacked; i++) {
        firstWasUnpacked = await exists(first);
        if (!firstWasUnpacked) await new Promise((r) => setTimeout(r, 20));
      }
    });
    const aside = join(dir, 'aside');
    await mkdir(aside);
    try {
      const store = new OciImageStore(root);
      const events: TransferProgress[] = [];
      const moves: Promise<void>[] = [];
      const inodes = new Map<string, number>();
      const onProgress = (p: TransferProgress): void => {
        events.push(p);
        if (p.status !== 'Pull complete' || !p.layer) return;
        const i = img.blobs.indexOf(p.layer);
        // Once a layer is reported done its blob moves away: committing the image must not need it.
        moves.push((async () => {
          inodes.set(p.layer!, (await stat(join(root, 'snapshots', hex(img.diffIds[i]!)))).ino);
          await rename(join(root, 'blobs', 'sha256', hex(p.layer!)), join(aside, hex(p.layer!)));
        })());
      };
      const record = await pullImage(store, `${proxy.host}/lt/piped:1`, { concurrency: 1, onProgress });
      await Promise.all(moves);
      assert.ok(firstWasUnpacked, 'layer 1 was unpacked before layer 2 was sent');
      assert.deepEqual(record.diffIds, img.diffIds);
      for (const [i, blob] of img.blobs.entries()) {
        const statuses = events.filter((e) => e.layer === blob).map((e) => e.status).filter((s) => s !== 'Downloading');
        assert.deepEqual(statuses, ['Waiting', 'Verifying Checksum', 'Download complete', 'Extracting', 'Pull complete'], `progress of layer ${i + 1}`);
        const snap = join(root, 'snapshots', hex(img.diffIds[i]!));
        assert.equal((await stat(snap)).ino, inodes.get(blob), `layer ${i + 1}'s snapshot was not made again`);
        assert.equal(await exists(join(root, 'blobs', 'sha256', hex(blob))), false, 'the blob stayed moved away');
      }
      assert.deepEqual(await readFile(join(first, 'file0')), await readFile(join(dir, 'lt_piped-src0', 'file0')));
      const stored = JSON.parse(await readFile(join(root, 'images.json'), 'utf8')) as { images: { layers: { diffId: string; unpackedSize: number; mediaType: string }[] }[] };
      assert.deepEqual(stored.images[0]?.layers.map((l) => [l.diffId, l.unpackedSize, l.mediaType]),
        img.tars.map((t) => [digestOf(t), t.length, MediaType.ociLayerGzip]), 'diff IDs and uncompressed sizes from the one pass');
    } finally {
      proxy.server.closeAllConnections();
      await new Promise((r) => proxy.server.close(r));
    }
  });

  test('a layer whose content is not the config diff ID is rejected naming both digests; no snapshot, no blob', async () => {
    const wrong = digestOf(Buffer.from('not this layer'));
    const img = await publish(reg, dir, 'lt/liar', [Buffer.from('good\n'), Buffer.from('bad\n')], { diffIds: (real) => [real[0]!, wrong] });
    const root = join(dir, 'store-liar');
    const store = new OciImageStore(root);
    const ref = `${reg.host}/lt/liar:1`;
    await assert.rejects(pullImage(store, ref), (e: Error) => {
      assert.equal(e.message, `layer 2/2 (blob ${img.blobs[1]}) of ${ref} is corrupt: its uncompressed content hashes to ${digestOf(img.tars[1]!)} but the image config lists diff ID ${wrong}`);
      return true;
    });
    assert.equal((await store.content.info(img.blobs[1]!)) !== undefined, false, 'the corrupt blob is deleted, so the next pull fetches it again');
    const left = await readdir(join(root, 'snapshots'));
    assert.ok(!left.includes(hex(wrong)) && !left.includes(hex(digestOf(img.tars[1]!))), `no snapshot of the bad layer (${left.join(', ')})`);
    assert.deepEqual(left.filter((n) => n.startsWith('.')), [], 'no half-extracted temp dir');
    assert.deepEqual(await store.list(), []);
  });

  test('a gzip layer that cannot be decompressed is rejected and deleted', async () => {
    const broken = Buffer.concat([gzipSync(Buffer.alloc(4096, 1)).subarray(0, 12), randomBytes(2000)]);
    const img = await publish(reg, dir, 'lt/broken', [Buffer.from('x')], { blobs: [broken] });
    const root = join(dir, 'store-broken');
    const store = new OciImageStore(root);
    await assert.rejects(pullImage(store, `${reg.host}/lt/broken:1`), new RegExp(`layer 1/1 \\(blob ${img.blobs[0]}\\) of .* \\(gzip\\) cannot be decompressed: `));
    assert.equal((await store.content.info(img.blobs[0]!)) !== undefined, false);
    assert.deepEqual(await readdir(join(root, 'snapshots')), []);
  });
});
