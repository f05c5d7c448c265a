/** lanternd server --scan-on-push: an image pushed to the built-in registry is scanned in the background; the registry answers the summary. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';
import { eventually } from '../src/testing/eventually.js';
import { writeScanFixture } from '../src/image/scan/testdata.js';

const sha = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

describe('lanternd server --scan-on-push', () => {
  const server = new TestServer(['--no-agent', '--scan-on-push']);
  const cli = new Cli(server);
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-w2-e2e-'));
  let osvDir = '';

  before(async () => {
    await server.start();
    osvDir = (await writeScanFixture(dir, 'scanme:1')).osvDir;
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const v2 = (p: string, init: RequestInit = {}, token = server.token): Promise<Response> =>
    fetch(`${server.url}/v2/${p}`, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${token}` } });
  async function push(repo: string, tag: string, layers: Buffer[]): Promise<string> {
    const descs = [];
    for (const b of [Buffer.from('{}'), ...layers]) {
      const r = await v2(`${repo}/blobs/uploads/?digest=${sha(b)}`, { method: 'POST', body: new Uint8Array(b) });
      assert.equal(r.status, 201, await r.text());
      descs.push({ digest: sha(b), size: b.length });
    }
    const [config, ...ls] = descs;
    const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config }, layers: ls.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...l })) }));
    const r = await v2(`${repo}/manifests/${tag}`, { method: 'PUT', headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, body: new Uint8Array(bytes) });
    assert.equal(r.status, 201, await r.text());
    return sha(bytes);
  }

  test('no database: the push succeeds and the failure is recorded', async () => {
    await push('w2/nodb', 'v1', [readFileSync(path.join(dir, 'layer0.tar'))]);
    const s = await eventually('the failed scan is recorded', async () => { const r = await v2('w2/nodb/_scan/v1'); return r.status === 200 ? await r.json() as { state: string; error: string } : undefined; });
    assert.equal(s.state, 'failed');
    assert.match(s.error, /no vulnerability database/);
  });

  test('with the database imported, a pushed image gets counts per severity; an unauthenticated caller is refused', async () => {
    await cli.ok(['image', 'scan', 'db', 'import', '--db-dir', path.join(server.dataDir, 'scan-db'), osvDir]);
    await push('w2/app', 'v1', [readFileSync(path.join(dir, 'layer0.tar')), readFileSync(path.join(dir, 'layer1.tar'))]);
    const s = await eventually('the scan summary', async () => { const r = await v2('w2/app/_scan/v1'); return r.status === 200 ? await r.json() as { state: string; counts: unknown; dbImportedAt?: string } : undefined; });
    assert.equal(s.state, 'scanned');
    assert.deepEqual(s.counts, { UNKNOWN: 0, LOW: 1, MEDIUM: 1, HIGH: 3, CRITICAL: 1 });
    assert.ok(s.dbImportedAt);
    assert.equal((await fetch(`${server.url}/v2/w2/app/_scan/v1`)).status, 401);
  });
});

describe('lanternd server --scan-on-push with its node: lcctl image inspect shows the last scan', () => {
  const server = new TestServer(['--scan-on-push']);
  const cli = new Cli(server);
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-w2-e2e-node-'));

  before(async () => { await server.start(); });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('an image imported on the server node is mirrored into the registry, scanned, and inspect carries LanternScan', async () => {
    const f = await writeScanFixture(dir, 'w2scan:1');
    await cli.ok(['image', 'scan', 'db', 'import', '--db-dir', path.join(server.dataDir, 'scan-db'), f.osvDir]);
    await cli.ok(['image', 'import', f.archive, 'w2scan:1']);
    const scan = await eventually('inspect shows the scan', async () => {
      const [img] = JSON.parse(await cli.ok(['image', 'inspect', 'w2scan:1'])) as Array<{ LanternScan?: { state: string; counts: unknown } }>;
      return img?.LanternScan;
    });
    assert.equal(scan.state, 'scanned');
    assert.deepEqual(scan.counts, { UNKNOWN: 0, LOW: 1, MEDIUM: 1, HIGH: 3, CRITICAL: 1 });
  });
});
