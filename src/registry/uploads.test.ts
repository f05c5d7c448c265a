import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { TestRegistry, errorCode, sha } from './testing.js';

describe('registry blob uploads', () => {
  let reg: TestRegistry;
  before(async () => { reg = await TestRegistry.start(); });
  after(async () => { await reg.stop(); });

  test('GET /v2/ answers 200 with the API version; without a token 401 with a Basic challenge', async () => {
    const ok = await reg.fetch('/v2/');
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('docker-distribution-api-version'), 'registry/2.0');
    const no = await reg.fetch('/v2/', { role: 'none' });
    assert.equal(no.status, 401);
    assert.equal(no.headers.get('www-authenticate'), 'Basic realm="lantern"');
    assert.equal(await errorCode(no), 'UNAUTHORIZED');
  });

  test('POST then PUT ?digest= stores the blob; HEAD and GET (with Range) serve it', async () => {
    const data = Buffer.from('hello registry blob');
    const start = await reg.fetch('/v2/library/busybox/blobs/uploads/', { method: 'POST' });
    assert.equal(start.status, 202);
    const loc = start.headers.get('location')!;
    assert.match(loc, /^\/v2\/library\/busybox\/blobs\/uploads\/[0-9a-f-]{36}$/);
    const put = await reg.fetch(`${loc}?digest=${sha(data)}`, { method: 'PUT', body: data });
    assert.equal(put.status, 201);
    assert.equal(put.headers.get('docker-content-digest'), sha(data));
    const head = await reg.fetch(`/v2/library/busybox/blobs/${sha(data)}`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(data.length));
    const get = await reg.fetch(`/v2/library/busybox/blobs/${sha(data)}`);
    assert.deepEqual(Buffer.from(await get.arrayBuffer()), data);
    const part = await reg.fetch(`/v2/library/busybox/blobs/${sha(data)}`, { headers: { range: 'bytes=6-13' } });
    assert.equal(part.status, 206);
    assert.equal(await part.text(), 'registry');
  });

  test('a single POST ?digest= uploads monolithically', async () => {
    const d = await reg.pushBlob('team/app/x', 'one shot');
    assert.equal((await reg.fetch(`/v2/team/app/x/blobs/${d}`)).status, 200);
  });

  test('chunked upload reports Range, rejects out-of-order chunks, and resumes after a restart', async () => {
    const data = Buffer.from('0123456789abcdefghijKLMNOPQRST');
    const start = await reg.fetch('/v2/chunky/blobs/uploads/', { method: 'POST', headers: { 'content-length': '0' } });
    const loc = start.headers.get('location')!;
    const p1 = await reg.fetch(loc, { method: 'PATCH', body: data.subarray(0, 10), headers: { 'content-range': '0-9', 'content-type': 'application/octet-stream' } });
    assert.equal(p1.status, 202);
    assert.equal(p1.headers.get('range'), '0-9');
    await reg.restart();
    const state = await reg.fetch(loc);
    assert.equal(state.status, 204);
    assert.equal(state.headers.get('range'), '0-9');
    const wrong = await reg.fetch(loc, { method: 'PATCH', body: data.subarray(20), headers: { 'content-range': '20-29' } });
    assert.equal(wrong.status, 416);
    const p2 = await reg.fetch(p1.headers.get('location')!, { method: 'PATCH', body: data.subarray(10, 20), headers: { 'content-range': '10-19' } });
    assert.equal(p2.headers.get('range'), '0-19');
    const done = await reg.fetch(`${loc}?digest=${sha(data)}`, { method: 'PUT', body: data.subarray(20), headers: { 'content-range': '20-29' } });
    assert.equal(done.status, 201);
    const get = await reg.fetch(`/v2/chunky/blobs/${sha(data)}`);
    assert.deepEqual(Buffer.from(await get.arrayBuffer()), data);
    assert.equal(await errorCode(await reg.fetch(loc)), 'BLOB_UPLOAD_UNKNOWN');
  });

  test('an upload untouched for over a week is removed when the registry opens', async () => {
    const loc = (await reg.fetch('/v2/stale/blobs/uploads/', { method: 'POST' })).headers.get('location')!;
    const old = new Date(Date.now() - 8 * 24 * 3600 * 1000);
    utimesSync(path.join(reg.dir, 'registry/uploads', loc.split('/').at(-1)!, 'data'), old, old);
    await reg.restart();
    assert.equal(await errorCode(await reg.fetch(loc)), 'BLOB_UPLOAD_UNKNOWN');
  });

  test('a wrong digest is rejected with DIGEST_INVALID and nothing is stored', async () => {
    const data = Buffer.from('the real content');
    const claimed = sha('something else');
    const r = await reg.fetch(`/v2/bad/blobs/uploads/?digest=${claimed}`, { method: 'POST', body: data });
    assert.equal(r.status, 400);
    assert.equal(await errorCode(r), 'DIGEST_INVALID');
    assert.equal((await reg.fetch(`/v2/bad/blobs/${claimed}`, { method: 'HEAD' })).status, 404);
    for (const d of [claimed, sha(data)]) assert.equal(existsSync(path.join(reg.dir, 'registry/blobs/sha256', d.slice(7))), false);
  });

  test('cross-repository mount: 201 when the source holds the blob, else 202 and an upload', async () => {
    const d = await reg.pushBlob('src/repo', 'shared layer');
    const m = await reg.fetch(`/v2/dst/repo/blobs/uploads/?mount=${d}&from=src/repo`, { method: 'POST' });
    assert.equal(m.status, 201);
    assert.equal(m.headers.get('location'), `/v2/dst/repo/blobs/${d}`);
    assert.equal((await reg.fetch(`/v2/dst/repo/blobs/${d}`, { method: 'HEAD' })).status, 200);
    const no = await reg.fetch(`/v2/dst/repo/blobs/uploads/?mount=${sha('absent')}&from=src/repo`, { method: 'POST' });
    assert.equal(no.status, 202);
    assert.match(no.headers.get('location')!, /\/blobs\/uploads\//);
  });

  test('DELETE of a blob unlinks it from the repository only', async () => {
    const d = await reg.pushBlob('del/a', 'to delete');
    await reg.fetch(`/v2/del/b/blobs/uploads/?mount=${d}&from=del/a`, { method: 'POST' });
    assert.equal((await reg.fetch(`/v2/del/a/blobs/${d}`, { method: 'DELETE' })).status, 202);
    assert.equal(await errorCode(await reg.fetch(`/v2/del/a/blobs/${d}`)), 'BLOB_UNKNOWN');
    assert.equal((await reg.fetch(`/v2/del/b/blobs/${d}`, { method: 'HEAD' })).status, 200);
  });

  test('node credentials may pull but not push; the join token may do neither', async () => {
    const d = await reg.pushBlob('perm', 'pullable');
    assert.equal((await reg.fetch(`/v2/perm/blobs/${d}`, { role: 'node' })).status, 200);
    const push = await reg.fetch('/v2/perm/blobs/uploads/', { method: 'POST', role: 'node' });
    assert.equal(push.status, 403);
    assert.equal(await errorCode(push), 'DENIED');
    assert.equal((await reg.fetch(`/v2/perm/blobs/${d}`, { role: 'join' })).status, 403);
  });

  test('an invalid repository name is NAME_INVALID', async () => {
    const r = await reg.fetch('/v2/Upper/Case/blobs/uploads/', { method: 'POST' });
    assert.equal(r.status, 400);
    assert.equal(await errorCode(r), 'NAME_INVALID');
  });
});
