/** Scan on push: a manifest stored in the built-in registry is scanned in the background; failures are recorded, never fail the push. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { RegistryStorage } from '../registry/storage.js';
import { serveRegistry } from '../registry/handler.js';
import { parseDigest } from '../registry/names.js';
import { importDb } from '../image/scan/db.js';
import { PushScanner } from '../image/scan/on-push.js';
import { writeScanFixture } from '../image/scan/testdata.js';

let dir: string;
let server: http.Server;
let url: string;
let scanner: PushScanner;
const sha = (b: Buffer | string): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lantern-w2-scanpush-'));
  const storage = await RegistryStorage.open(join(dir, 'registry'));
  scanner = new PushScanner({
    manifest: async (repo, digest) => (await storage.getManifest(repo, parseDigest(digest)))?.bytes,
    blob: (digest) => createReadStream(storage.blobPath(parseDigest(digest))),
  }, { dbDir: join(dir, 'scan-db'), resultsDir: join(dir, 'scans'), queueLimit: 4, now: () => new Date('2026-01-02T00:00:00Z') });
  storage.onManifestStored = (name, digest) => scanner.pushed(name, digest);
  storage.scanSummary = (digest) => scanner.summary(digest);
  const handle = await serveRegistry(storage);
  // The anonymous caller is how a request without credentials reaches the registry.
  server = http.createServer((req, res) => { void handle(req, res, req.headers['x-anonymous'] ? undefined : { name: 'admin', role: 'admin' }); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await scanner.stop();
  await rm(dir, { recursive: true, force: true });
});

async function push(repo: string, tag: string, layers: Buffer[]): Promise<string> {
  const blob = async (b: Buffer): Promise<{ digest: string; size: number }> => {
    const r = await fetch(`${url}/v2/${repo}/blobs/uploads/?digest=${sha(b)}`, { method: 'POST', body: new Uint8Array(b) });
    assert.equal(r.status, 201);
    return { digest: sha(b), size: b.length };
  };
  const config = await blob(Buffer.from('{}'));
  const ls = [];
  for (const l of layers) ls.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...await blob(l) });
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config }, layers: ls }));
  const r = await fetch(`${url}/v2/${repo}/manifests/${tag}`, { method: 'PUT', headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, body: bytes });
  assert.equal(r.status, 201, 'the push itself succeeds whatever the scan does');
  return sha(bytes);
}

test('without a database the push succeeds and the failure is recorded, naming how to import one', async () => {
  const fx = await writeScanFixture(join(dir, 'fx0'), 'app:1');
  const digest = await push('team/nodb', 'v1', [await readFile(join(dir, 'fx0', 'layer0.tar'))]);
  await scanner.idle();
  const s = await scanner.summary(digest);
  assert.equal(s?.state, 'failed');
  assert.match(s?.error ?? '', /no vulnerability database in .*scan-db: import one with "lcctl image scan db import --db-dir/);
  assert.ok(fx.osvDir);
});

test('a pushed image is scanned: counts per severity match the advisories, with when and the database age', async () => {
  const fx = await writeScanFixture(join(dir, 'fx'), 'app:1');
  await importDb(join(dir, 'scan-db'), [fx.osvDir], new Date('2026-01-01T00:00:00Z'));
  const layers = [await readFile(join(dir, 'fx', 'layer0.tar')), await readFile(join(dir, 'fx', 'layer1.tar'))];
  const digest = await push('team/app', 'v1', layers);
  await scanner.idle();
  assert.deepEqual(await scanner.summary(digest), {
    digest, repository: 'team/app', state: 'scanned', scannedAt: '2026-01-02T00:00:00.000Z', dbImportedAt: '2026-01-01T00:00:00.000Z',
    // testdata.ts EXPECTED: openssl + libssl3 + lodash HIGH, smallvec CRITICAL, minimist MEDIUM, express LOW.
    counts: { UNKNOWN: 0, LOW: 1, MEDIUM: 1, HIGH: 3, CRITICAL: 1 },
  });
  assert.equal(await scanner.summary('sha256:' + '0'.repeat(64)), undefined);
  assert.equal(await scanner.summary('../../etc/passwd'), undefined);
  // The registry answers the summary by tag or digest to whoever may pull; others are refused.
  const byTag = await fetch(`${url}/v2/team/app/_scan/v1`);
  assert.equal(byTag.status, 200);
  assert.deepEqual(((await byTag.json()) as { counts: unknown }).counts, { UNKNOWN: 0, LOW: 1, MEDIUM: 1, HIGH: 3, CRITICAL: 1 });
  assert.equal((await fetch(`${url}/v2/team/app/_scan/${digest}`)).status, 200);
  assert.equal((await fetch(`${url}/v2/team/app/_scan/v1`, { headers: { 'x-anonymous': '1' } })).status, 401);
  const unknown = await fetch(`${url}/v2/team/app/_scan/nope`);
  assert.equal(unknown.status, 404);
  assert.match(((await unknown.json()) as { errors: { message: string }[] }).errors[0]!.message, /manifest "nope" is not in repository "team\/app"/);
});
