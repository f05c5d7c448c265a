import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cleanup, digestOf, tarDir, tempDir } from '../fixtures.js';
import { MediaType } from '../formats.js';
import { OciImageStore } from '../store.js';
import { FakeRegistry } from './fake-registry.js';
import { pullImage } from './pull.js';

let dir = '';
let cert = { key: '', cert: '' };
let otherCa = '';

/** A self-signed certificate for localhost and 127.0.0.1 (what a registry:2 with its own TLS serves). */
function selfSigned(where: string, name: string): { key: string; cert: string } {
  const key = join(where, `${name}.key`);
  const crt = join(where, `${name}.crt`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', crt,
    '-days', '1', '-subj', `/CN=${name}`, '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(crt, 'utf8') };
}

/** Stores a one-layer image under REPO:TAG; returns the manifest digest. */
async function publish(reg: FakeRegistry, repo: string, tag: string): Promise<string> {
  const src = join(dir, `src-${repo.replace(/\W/g, '-')}`);
  await mkdir(src, { recursive: true });
  await writeFile(join(src, 'hello'), `${repo}\n`);
  await tarDir(src, join(src, '..', `${repo.replace(/\W/g, '-')}.tar`));
  const layer = await readFile(join(src, '..', `${repo.replace(/\W/g, '-')}.tar`));
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [digestOf(layer)] } }));
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, digest: reg.addBlob(config), size: config.length },
    layers: [{ mediaType: MediaType.ociLayer, digest: reg.addBlob(layer), size: layer.length }] }));
  return reg.addManifest(repo, tag, manifest, MediaType.ociManifest);
}

before(async () => {
  dir = await tempDir('registry-scheme');
  cert = selfSigned(dir, 'registry');
  otherCa = selfSigned(dir, 'other').cert;
});
after(async () => { await cleanup(dir); });

test('a loopback registry that speaks HTTPS is pulled from over HTTPS, its own certificate accepted as Docker does', async () => {
  const reg = new FakeRegistry({ tls: cert });
  await reg.start();
  try {
    const digest = await publish(reg, 'team/app', '1');
    const store = new OciImageStore(join(dir, 'store-https'));
    const record = await pullImage(store, `${reg.host}/team/app:1`);
    assert.equal(record.digest, digest);
    assert.ok(reg.seen.some((r) => r.path === '/v2/team/app/manifests/1'), 'the HTTPS server answered');
  } finally { await reg.stop(); }
});

test('a loopback registry that speaks plain HTTP is reached after HTTPS fails to connect', async () => {
  const reg = new FakeRegistry();
  await reg.start();
  try {
    const digest = await publish(reg, 'team/plain', '1');
    const store = new OciImageStore(join(dir, 'store-http'));
    const record = await pullImage(store, `${reg.host}/team/plain:1`);
    assert.equal(record.digest, digest);
  } finally { await reg.stop(); }
});

test('the CA handed in is checked: a registry whose certificate it did not sign is refused', async () => {
  const reg = new FakeRegistry({ tls: cert });
  await reg.start();
  try {
    await publish(reg, 'team/app', '1');
    const good = new OciImageStore(join(dir, 'store-ca'));
    assert.ok(await pullImage(good, `${reg.host}/team/app:1`, { ca: cert.cert, scheme: 'https' }));
    const bad = new OciImageStore(join(dir, 'store-bad-ca'));
    await assert.rejects(pullImage(bad, `${reg.host}/team/app:1`, { ca: otherCa, scheme: 'https' }), /cannot reach registry localhost:\d+ \(https:.*(certificate|SELF_SIGNED|UNABLE_TO_VERIFY)/i);
  } finally { await reg.stop(); }
});

test('a registry whose scheme is given is not tried over the other one', async () => {
  const reg = new FakeRegistry();
  await reg.start();
  try {
    await publish(reg, 'team/plain', '1');
    const store = new OciImageStore(join(dir, 'store-forced'));
    await assert.rejects(pullImage(store, `${reg.host}/team/plain:1`, { scheme: 'https' }), (e: Error) => {
      assert.match(e.message, /cannot reach registry localhost:\d+ \(https:/);
      assert.doesNotMatch(e.message, /plain HTTP/);
      return true;
    });
    assert.equal(reg.seen.length, 0, 'no request reached the plain-HTTP registry');
  } finally { await reg.stop(); }
});

test('when neither HTTPS nor plain HTTP connects, the error names both attempts', async () => {
  const reg = new FakeRegistry();
  await reg.start();
  const host = reg.host;
  await reg.stop();
  const store = new OciImageStore(join(dir, 'store-none'));
  await assert.rejects(pullImage(store, `${host}/team/gone:1`), /cannot reach registry localhost:\d+ over HTTPS \(https:\/\/localhost:\d+\/v2\/team\/gone\/manifests\/1: ECONNREFUSED\) nor over plain HTTP \(ECONNREFUSED\)/);
});
