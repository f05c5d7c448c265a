/** The agent's pulls from the server's built-in registry follow the server list (issue 16 item 3). */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cleanup, digestOf, tarDir, tempDir } from '../image/fixtures.js';
import { MediaType } from '../image/formats.js';
import { OciImageStore } from '../image/store.js';
import { FakeRegistry } from '../image/distribution/fake-registry.js';
import { MultiServerClient } from '../client/multi-server.js';
import { pullForPod, serverRegistrySource } from '../agent/server-registry.js';

let dir = '';
let dead = '';
const reg = new FakeRegistry({ auth: 'bearer' });

/** A server URL nobody listens on: its registry refuses connections, as a dead server's would. */
async function deadUrl(): Promise<string> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

before(async () => {
  dir = await tempDir('w4-registry-failover');
  await reg.start();
  dead = await deadUrl();
  const src = join(dir, 'layer-src');
  await mkdir(src, { recursive: true });
  await writeFile(join(src, 'hello'), 'from any server\n');
  await tarDir(src, join(dir, 'layer.tar'));
  const layer = await readFile(join(dir, 'layer.tar'));
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [digestOf(layer)] } }));
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, digest: reg.addBlob(config), size: config.length },
    layers: [{ mediaType: MediaType.ociLayer, digest: reg.addBlob(layer), size: layer.length }] }));
  for (const repo of ['team/app', 'ghcr.io/org/app']) reg.addManifest(repo, 'v1', manifest, MediaType.ociManifest);
});
after(async () => { await reg.stop(); await cleanup(dir); });

const servers = (): MultiServerClient => new MultiServerClient({ server: '', token: 'good-token' }, [dead, `http://${reg.host}`]);

test('an image pushed through a server that died is pulled through the next one; the agent\'s client moves on', async () => {
  const client = servers();
  const source = serverRegistrySource(client.config, false, client)!;
  const ref = `${new URL(dead).host}/team/app:v1`;
  const logs: string[] = [];
  const record = await pullForPod(new OciImageStore(join(dir, 'store-1')), ref, { insecure: [], server: source }, (m) => logs.push(m));
  assert.deepEqual(record.names, [ref], 'named as the pod wrote it');
  assert.equal(client.server, `http://${reg.host}`, 'the node\'s API client moved on with it');
  assert.ok(logs.some((m) => m.includes('trying the next server')), logs.join('\n'));
});

test('the registry mirror is tried on the next server before the image\'s own registry', async () => {
  const client = servers();
  const source = serverRegistrySource(client.config, true, client)!;
  const logs: string[] = [];
  const record = await pullForPod(new OciImageStore(join(dir, 'store-2')), 'ghcr.io/org/app:v1', { insecure: [], server: source }, (m) => logs.push(m));
  assert.deepEqual(record.names, ['ghcr.io/org/app:v1']);
  assert.ok(logs.some((m) => m.includes(`from the server's registry (${reg.host}/ghcr.io/org/app:v1)`)), logs.join('\n'));
});

test('with one server nothing moves: the registry\'s error is the pod\'s', async () => {
  const one = serverRegistrySource({ server: dead, token: 'good-token' }, false)!;
  assert.equal(one.failover, undefined);
  await assert.rejects(pullForPod(new OciImageStore(join(dir, 'store-3')), `${new URL(dead).host}/team/app:v1`, { insecure: [], server: one }, () => undefined), /cannot reach registry/);
});
