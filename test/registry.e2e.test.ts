import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestServer, busyboxArchive } from './harness/lanternd.js';

/** Run skopeo; a failure throws with its stderr. */
function skopeo(args: string[], expectOk = true): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('skopeo', args, { encoding: 'utf8', timeout: 120_000 });
  const out = { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  if (expectOk && out.code !== 0) throw new Error(`skopeo ${args.join(' ')} failed (${out.code}):\n${out.stderr}`);
  return out;
}

/** The manifest bytes an oci: layout's index.json points at. */
function layoutManifest(dir: string): Buffer {
  const index = JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
  return readFileSync(path.join(dir, 'blobs/sha256', index.manifests[0]!.digest.slice('sha256:'.length)));
}

const sha = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

describe('the built-in registry with skopeo', () => {
  // No agent: the registry needs none, and the test then leaves no bridge or containers behind.
  const server = new TestServer(['--no-agent']);
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-registry-e2e-'));
  const src = path.join(dir, 'src');
  let host = '';
  let creds: string[] = [];
  before(async () => {
    await server.start();
    host = server.url.replace(/^http:\/\//, '');
    creds = ['--creds', `lantern:${server.token}`];
    skopeo(['copy', `docker-archive:${busyboxArchive()}`, `oci:${src}:v1`]);
  });
  after(async () => { await server.stop(); rmSync(dir, { recursive: true, force: true }); });

  test('an OCI image copied in and back out has byte-identical manifest and blobs', () => {
    const ref = `docker://${host}/team/app/busybox:v1`;
    skopeo(['copy', '--preserve-digests', '--dest-tls-verify=false', '--dest-creds', `x:${server.token}`, `oci:${src}:v1`, ref]);
    const raw = skopeo(['inspect', '--raw', '--tls-verify=false', ...creds, ref]).stdout;
    assert.deepEqual(Buffer.from(raw), layoutManifest(src));
    const out = path.join(dir, 'out');
    skopeo(['copy', '--preserve-digests', '--src-tls-verify=false', '--src-creds', `x:${server.token}`, ref, `oci:${out}:v1`]);
    assert.deepEqual(layoutManifest(out), layoutManifest(src));
    const blobs = readdirSync(path.join(src, 'blobs/sha256')).sort();
    assert.deepEqual(readdirSync(path.join(out, 'blobs/sha256')).sort(), blobs);
    for (const b of blobs) assert.ok(readFileSync(path.join(out, 'blobs/sha256', b)).equals(readFileSync(path.join(src, 'blobs/sha256', b))), `blob ${b} differs`);
    // The data lives in the server's data dir.
    for (const b of blobs) assert.ok(existsSync(path.join(server.dataDir, 'registry/blobs/sha256', b)), `blob ${b} not under DATA_DIR/registry`);
  });

  test('a Docker schema2 manifest is stored and served as pushed, with its media type and tag', async () => {
    const ref = `docker://${host}/library/busybox:s2`;
    skopeo(['copy', '--format', 'v2s2', '--dest-tls-verify=false', '--dest-creds', `x:${server.token}`, `oci:${src}:v1`, ref]);
    const raw = Buffer.from(skopeo(['inspect', '--raw', '--tls-verify=false', ...creds, ref]).stdout);
    assert.equal((JSON.parse(raw.toString()) as { mediaType: string }).mediaType, 'application/vnd.docker.distribution.manifest.v2+json');
    const pulled = path.join(dir, 'pulled-s2');
    skopeo(['copy', '--src-tls-verify=false', '--src-creds', `x:${server.token}`, ref, `dir:${pulled}`]);
    assert.deepEqual(readFileSync(path.join(pulled, 'manifest.json')), raw);
    const get = await fetch(`${server.url}/v2/library/busybox/manifests/s2`, { headers: { authorization: `Bearer ${server.token}` } });
    assert.equal(get.headers.get('content-type'), 'application/vnd.docker.distribution.manifest.v2+json');
    assert.equal(get.headers.get('docker-content-digest'), sha(raw));
    const tags = await fetch(`${server.url}/v2/library/busybox/tags/list`, { headers: { authorization: `Basic ${Buffer.from(`any:${server.token}`).toString('base64')}` } });
    assert.deepEqual(await tags.json(), { name: 'library/busybox', tags: ['s2'] });
  });

  test('without a valid token the registry answers 401 with a Basic challenge and skopeo fails', async () => {
    const r = await fetch(`${server.url}/v2/`);
    assert.equal(r.status, 401);
    assert.equal(r.headers.get('www-authenticate'), 'Basic realm="lantern"');
    const body = await r.json() as { errors: { code: string }[] };
    assert.equal(body.errors[0]?.code, 'UNAUTHORIZED');
    const bad = skopeo(['inspect', '--raw', '--tls-verify=false', '--creds', 'x:not-a-token', `docker://${host}/team/app/busybox:v1`], false);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /401|unauthorized|authentication required/i);
  });

  test('an upload cut by a crash of the server resumes from the offset it reports, and no half blob is stored', async () => {
    const data = randomBytes(3 * 1024 * 1024);
    const auth = { authorization: `Bearer ${server.token}` };
    const start = await fetch(`${server.url}/v2/crash/test/blobs/uploads/`, { method: 'POST', headers: auth });
    const loc = start.headers.get('location')!;
    const id = loc.split('/').at(-1)!;
    // Stream the first half of a PATCH and kill the server while the request is still open.
    const req = http.request(`${server.url}${loc}`, { method: 'PATCH', headers: { ...auth, 'content-type': 'application/octet-stream' } });
    req.on('error', () => undefined);
    req.write(data.subarray(0, data.length / 2));
    const partial = path.join(server.dataDir, 'registry/uploads', id, 'data');
    await server.until('the first bytes to reach the upload file', async () => existsSync(partial) && statSync(partial).size > 0);
    await server.kill9();
    req.destroy();
    await server.start();
    const headers = { authorization: `Bearer ${server.token}` };
    assert.equal((await fetch(`${server.url}/v2/crash/test/blobs/${sha(data)}`, { method: 'HEAD', headers })).status, 404);
    const state = await fetch(`${server.url}${loc}`, { headers });
    assert.equal(state.status, 204);
    const have = Number(/^0-(\d+)$/.exec(state.headers.get('range') ?? '')?.[1]) + 1;
    assert.ok(have > 0 && have <= data.length / 2, `range ${state.headers.get('range')}`);
    const rest = await fetch(`${server.url}${loc}`, { method: 'PATCH', body: data.subarray(have), headers: { ...headers, 'content-range': `${have}-${data.length - 1}` } });
    assert.equal(rest.status, 202);
    const done = await fetch(`${server.url}${loc}?digest=${sha(data)}`, { method: 'PUT', headers });
    assert.equal(done.status, 201);
    const got = await fetch(`${server.url}/v2/crash/test/blobs/${sha(data)}`, { headers });
    assert.ok(Buffer.from(await got.arrayBuffer()).equals(data));
  });

  test('images survive a crash of the server', async () => {
    await server.kill9();
    await server.start();
    const out = path.join(dir, 'after-crash');
    skopeo(['copy', '--preserve-digests', '--src-tls-verify=false', '--src-creds', `x:${server.token}`, `docker://${server.url.replace(/^http:\/\//, '')}/team/app/busybox:v1`, `oci:${out}:v1`]);
    assert.deepEqual(layoutManifest(out), layoutManifest(src));
  });
});
