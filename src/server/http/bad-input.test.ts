/**
 * Bad input gets a 400 or 404 that says what was wrong, never a 500 or a dead server: deep or
 * huge bodies, bodies that are not objects, watches with bad parameters, kinds under the wrong
 * API group. (test/fuzz-api.e2e.test.ts sends thousands of such requests to a real lanternd.)
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ErrorBody } from '../../api/errors.js';
import { kinds } from '../../api/kinds/index.js';
import { ADMIN, NODE, NODE_NAME, rawConnect, startChainServer, until, type ChainServer } from './chain/test-server.js';
import { groupVersionPath } from './route.js';

describe('bad input', () => {
  let s: ChainServer;
  before(async () => { s = await startChainServer(); });
  after(async () => { await s.close(); });

  async function call(method: string, path: string, body?: string, type = 'application/json', token = ADMIN): Promise<{ status: number; text: string; error: ErrorBody }> {
    const res = await fetch(s.base + path, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': type }) }, body });
    const text = await res.text();
    let error = {} as ErrorBody;
    try { error = JSON.parse(text) as ErrorBody; } catch { /* not JSON */ }
    return { status: res.status, text, error };
  }

  test('a YAML body of 50,000 nested [ is a 400, for a node credential too, and the server keeps serving', async () => {
    // Before the bound the second such request ended the process (RegExpCompiler out of memory).
    for (let i = 0; i < 3; i++) {
      const r = await call('POST', '/api/v1/nodes', '['.repeat(50_000) + ']'.repeat(50_000), 'application/yaml', NODE);
      assert.equal(r.status, 400, r.text);
      assert.equal(r.error.message, 'request body nests deeper than 100 levels');
    }
    const r = await call('POST', '/api/v1/nodes', `apiVersion: v1\nkind: Node\nmetadata:\n  name: ${NODE_NAME}\n`, 'application/yaml', NODE);
    assert.equal(r.status, 201, r.text);
  });

  test('JSON nested a million deep is a 400 naming the bound, not a 500 "Maximum call stack size exceeded"', async () => {
    const r = await call('POST', '/api/v1/namespaces/default/configmaps', '['.repeat(1_000_000) + ']'.repeat(1_000_000));
    assert.equal(r.status, 400, r.text);
    assert.equal(r.error.reason, 'BadRequest');
    assert.equal(r.error.message, 'request body nests deeper than 100 levels (at offset 100)');
    const objects = await call('POST', '/api/v1/namespaces/default/configmaps', '{"a":'.repeat(200) + '1' + '}'.repeat(200));
    assert.equal(objects.error.message, 'request body nests deeper than 100 levels (at offset 500)');
  });

  test('a body that is null, a number, a string or an array is a 400 (a bad metadata a 422 Invalid) on every route that reads one', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: '1' } };
    assert.equal((await call('POST', '/api/v1/namespaces/default/configmaps', JSON.stringify(cm))).status, 201);
    const dep = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } } };
    assert.equal((await call('POST', '/apis/apps/v1/namespaces/default/deployments', JSON.stringify(dep))).status, 201);
    const routes: [string, string][] = [
      ['POST', '/api/v1/namespaces/default/configmaps'],
      ['PUT', '/api/v1/namespaces/default/configmaps/cm'],
      ['PUT', '/api/v1/nodes/n1/status'],
      ['PUT', '/apis/apps/v1/namespaces/default/deployments/web/scale'],
      ['PUT', '/apis/apps/v1/namespaces/default/deployments/web/status'],
      ['POST', '/api/v1/namespaces/default/pods/p/binding'],
      ['DELETE', '/api/v1/namespaces/default/configmaps/cm'],
    ];
    for (const [method, path] of routes) {
      for (const [body, what] of [['null', 'null'], ['42', 'a number'], ['"x"', 'a string'], ['[1]', 'an array'], ['true', 'a boolean']]) {
        const r = await call(method, path, body);
        assert.equal(r.status, 400, `${method} ${path} ${body}: ${r.text}`);
        assert.equal(r.error.message, `request body must be a JSON or YAML object ({...}), got ${what}`);
      }
    }
    for (const meta of ['null', '"x"', '[]']) {
      const r = await call('PUT', '/api/v1/nodes/n1/status', `{"metadata": ${meta}}`);
      assert.equal(r.status, 422, r.text);
      assert.match(r.error.message, /^metadata: must be an object/);
    }
    // No metadata at all on a cluster-scoped kind: the name is the URL's (it used to be a 500).
    for (const path of ['/apis/lantern.dev/v1/queues/q', '/apis/scheduling.k8s.io/v1/priorityclasses/pc', '/api/v1/nodes/n1']) {
      const r = await call('PUT', path, '{}');
      assert.ok(r.status === 422 || r.status === 404, `${path}: ${r.text}`);
      assert.match(r.error.message, /"(q|pc|n1)" (not found|is invalid)/);
    }
    // The configmap is still there: the DELETE with a bad body did nothing.
    assert.equal((await call('GET', '/api/v1/namespaces/default/configmaps/cm')).status, 200);
  });

  test('a watch with a bad label selector, field selector or resourceVersion is a 400 before any stream starts', async () => {
    const cases: [string, RegExp][] = [
      ['labelSelector=a%20in%20(', /invalid selector term "a in \(": expected key=value/],
      ['labelSelector=%3D%3D%3D', /invalid selector term/],
      ['fieldSelector=spec.bogus%3Dx', /field selector "spec.bogus" is not supported for pods/],
      ['fieldSelector=nonsense', /field selector/i],
      ['resourceVersion=abc', /invalid resourceVersion "abc": expected a non-negative integer/],
      ['resourceVersion=-1', /invalid resourceVersion "-1"/],
    ];
    for (const [q, message] of cases) {
      const res = await fetch(`${s.base}/api/v1/namespaces/default/pods?watch=1&${q}`, { headers: { authorization: `Bearer ${ADMIN}` } });
      assert.equal(res.status, 400, q);
      assert.equal(res.headers.get('content-type'), 'application/json');
      const body = await res.json() as ErrorBody;
      assert.equal(body.reason, 'BadRequest', q);
      assert.match(body.message, message, q);
    }
    // A good watch still streams.
    const ac = new AbortController();
    const ok = await fetch(`${s.base}/api/v1/namespaces/default/pods?watch=1&resourceVersion=0&labelSelector=app%3Dweb`, { headers: { authorization: `Bearer ${ADMIN}` }, signal: ac.signal });
    assert.equal(ok.status, 200);
    ac.abort();
  });

  test('a request target that is no URL ("//", "//[") is a 400, not an uncaught exception and no answer', async () => {
    for (const target of ['//', '//[', '//%zz', '///']) {
      const c = await rawConnect(s.port);
      c.socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ADMIN}\r\n\r\n`);
      await until(`an answer to GET ${target}`, () => /\r\n\r\n\{.*\}$/s.test(c.data()));
      assert.match(c.data(), /^HTTP\/1\.1 400 /, target);
      assert.match(c.data(), /malformed request target/);
      c.socket.destroy();
    }
  });

  test('an error answer that waits behind another on its connection (keep-alive, pipelining) still goes out', async () => {
    const c = await rawConnect(s.port);
    const get = (path: string, token = ADMIN): string => `GET ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n\r\n`;
    c.socket.write(get('/metrics') + get('/api/v1/namespaces/default/pods/missing') + get('/api/v1/namespaces/default/secrets', NODE) + get('/healthz'));
    await until('four answers', () => (c.data().match(/HTTP\/1\.1 \d{3}/g) ?? []).length === 4 && c.data().endsWith('ok'));
    assert.deepEqual(c.data().match(/HTTP\/1\.1 \d{3}/g), ['HTTP/1.1 200', 'HTTP/1.1 404', 'HTTP/1.1 403', 'HTTP/1.1 200']);
    assert.equal(c.isClosed(), false);
    c.socket.destroy();
  });

  test('a refused upgrade answers HEAD without a body (the client would read it as the next answer)', async () => {
    const c = await rawConnect(s.port);
    c.socket.write(`HEAD /api/v1/nope HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nAuthorization: Bearer ${ADMIN}\r\n\r\n`);
    await c.closed;
    assert.match(c.data(), /^HTTP\/1\.1 404 NotFound\r\n[^]*\r\n\r\n$/);
  });

  test('paths, subresources and methods the server does not know add no request-metric series', async () => {
    for (let i = 0; i < 50; i++) await call(i % 2 === 0 ? 'PROPFIND' : 'GET', `/api/v1/made-up-${i}/x/sub-${i}`);
    const text = (await call('GET', '/metrics')).text;
    assert.doesNotMatch(text, /made-up|sub-\d|PROPFIND/);
    assert.match(text, /apiserver_request_total\{verb="OTHER",resource="unknown",subresource="unknown",code="404"\} 25/);
  });

  test('every kind is served only under its own group and version; elsewhere a 404 says where it is', async () => {
    const groupVersions = [...new Set([...kinds.values()].map((k) => k.apiVersion))];
    assert.ok(groupVersions.includes('scheduling.k8s.io/v1'));
    for (const kind of kinds.values()) {
      const own = groupVersionPath(kind.apiVersion);
      const path = (gv: string): string => `${groupVersionPath(gv)}/${kind.namespaced ? 'namespaces/default/' : ''}${kind.resource}`;
      const good = await call('GET', path(kind.apiVersion));
      assert.equal(good.status, 200, `${path(kind.apiVersion)}: ${good.text}`);
      for (const gv of groupVersions.filter((g) => g !== kind.apiVersion)) {
        for (const p of [path(gv), `${path(gv)}/x`, `${path(gv)}/x/status`]) {
          const r = await call('GET', p);
          assert.equal(r.status, 404, p);
          assert.equal(r.error.message, `the server could not find the requested resource: ${kind.resource} are served under ${own}, not ${groupVersionPath(gv)}`);
        }
      }
    }
    // Writes too: the Secret is not created through batch/v1.
    const secret = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { a: 'b' } });
    assert.equal((await call('POST', '/apis/batch/v1/namespaces/default/secrets', secret)).status, 404);
    assert.equal((await call('GET', '/api/v1/namespaces/default/secrets/s')).status, 404);
  });
});
