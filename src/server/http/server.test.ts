import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ErrorBody } from '../../api/errors.js';
import type { Pod } from '../../api/pod.js';
import { startTestHttpServer, type TestHttpServer } from '../../testing/http-server.js';
import { NodeRegistry } from '../node-registry.js';
import { TokenAuthenticator } from './auth.js';

const TOKEN = 'test-admin-token';
const pods = '/api/v1/namespaces/default/pods';
const manifest = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }] }, ...extra });

describe('API HTTP server', () => {
  let s: TestHttpServer;
  let base: string;
  let ready = true;

  before(async () => {
    const auth = new TokenAuthenticator();
    auth.add(TOKEN, { name: 'admin', role: 'admin' });
    s = await startTestHttpServer((t) => ({ api: t.api, nodes: new NodeRegistry(), auth, version: '9.9.9-test', ready: () => ready }));
    base = s.url;
  });
  after(async () => { await s.close(); });

  /** One request with the admin token; body objects are sent as JSON, strings as they are. */
  async function call<T = ErrorBody>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T; type: string | null }> {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    const type = res.headers.get('content-type');
    return { status: res.status, body: (type?.startsWith('application/json') ? JSON.parse(text) : text) as T, type };
  }

  test('health and version need no token', async () => {
    for (const path of ['/healthz', '/livez', '/readyz']) {
      const res = await fetch(base + path);
      assert.equal(res.status, 200, path);
      assert.equal(await res.text(), 'ok');
    }
    const version = await fetch(`${base}/version`);
    assert.equal(version.status, 200);
    // Kubernetes' version.Info (kubectl version parses it) with lcctl's own version field.
    const info = await version.json() as Record<string, string>;
    assert.equal(info.version, '9.9.9-test');
    assert.equal(info.gitVersion, 'v1.32.0+lantern-9.9.9-test');
    assert.deepEqual([info.major, info.minor], ['1', '32']);
  });

  test('readyz reports 503 while the server is not ready; healthz stays 200', async () => {
    ready = false;
    try {
      const res = await fetch(`${base}/readyz`);
      assert.equal(res.status, 503);
      assert.equal(await res.text(), '[+]ping ok\n[+]store ok\n[-]started failed: the server is starting or shutting down\nreadyz check failed\n');
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
    } finally { ready = true; }
  });

  test('discovery and OpenAPI need a valid token (any identity)', async () => {
    for (const path of ['/api', '/apis', '/api/v1', '/apis/apps/v1', '/openapi/v3', '/openapi/v3/apis/apps/v1']) {
      assert.equal((await fetch(base + path)).status, 401, `${path} without a token`);
      assert.equal((await call('GET', path, undefined, { authorization: 'Bearer not-the-token' })).status, 401, `${path} with a wrong token`);
      assert.equal((await call('GET', path)).status, 200, `${path} as the admin`);
    }
  });

  test('API calls without a valid token are 401 with a JSON error saying what to do', async () => {
    const none = await fetch(base + pods);
    assert.equal(none.status, 401);
    const body = await none.json() as ErrorBody;
    assert.equal(body.reason, 'Unauthorized');
    assert.equal(body.code, 401);
    assert.match(body.message, /bearer token is required: pass --token, set LANTERN_TOKEN/);
    const wrong = await call('GET', pods, undefined, { authorization: 'Bearer not-the-token' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.message, 'the token is not valid for this server');
    const basic = await call('GET', pods, undefined, { authorization: `Basic ${TOKEN}` });
    assert.equal(basic.status, 401);
  });

  test('create from JSON, then get and list', async () => {
    const created = await call<Pod>('POST', pods, manifest('json-pod'));
    assert.equal(created.status, 201);
    assert.equal(created.type, 'application/json');
    assert.equal(created.body.metadata.namespace, 'default');
    assert.ok(created.body.metadata.uid);
    const got = await call<Pod>('GET', `${pods}/json-pod`);
    assert.equal(got.status, 200);
    assert.equal(got.body.metadata.uid, created.body.metadata.uid);
    const list = await call<{ kind: string; items: Pod[] }>('GET', `${pods}?labelSelector=${encodeURIComponent('!nothing')}`);
    assert.equal(list.body.kind, 'PodList');
    assert.ok(list.body.items.some((p) => p.metadata.name === 'json-pod'));
  });

  test('a YAML body is accepted with content-type application/yaml', async () => {
    const yaml = ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: yaml-pod', '  labels: {app: web}', 'spec:', '  containers:', '  - name: c', '    image: busybox', ''].join('\n');
    const created = await call<Pod>('POST', pods, yaml, { 'content-type': 'application/yaml' });
    assert.equal(created.status, 201);
    assert.equal(created.body.metadata.labels?.app, 'web');
    const broken = await call('POST', pods, 'metadata: [unclosed', { 'content-type': 'application/yaml' });
    assert.equal(broken.status, 400);
    assert.equal(broken.body.reason, 'BadRequest');
    assert.match(broken.body.message, /request body is not valid YAML/);
  });

  test('an invalid pod is a 422 Status with reason Invalid, message and details.causes', async () => {
    const res = await call('POST', pods, manifest('bad', { spec: { containers: [{ name: 'c' }], restartPolicy: 'Sometimes' } }));
    assert.equal(res.status, 422);
    assert.equal(res.body.reason, 'Invalid');
    assert.equal(res.body.code, 422);
    assert.match(res.body.message, /^Pod "bad" is invalid: /);
    assert.deepEqual(res.body.details?.causes, [
      { field: 'spec.containers[0].image', message: 'required' },
      { field: 'spec.restartPolicy', message: 'expected one of "Always", "OnFailure", "Never", got "Sometimes"' },
    ]);
    assert.equal((await call('GET', `${pods}/bad`)).status, 404);
  });

  test('bodies that are not objects are refused with a clear message', async () => {
    const cases: [string, Record<string, string>, RegExp][] = [
      ['', {}, /request body is empty/],
      ['{"apiVersion": ', { 'content-type': 'application/json' }, /request body is not valid JSON/],
      ['[1, 2]', { 'content-type': 'application/json' }, /must be a JSON or YAML object/],
    ];
    for (const [body, headers, message] of cases) {
      const res = await call('POST', pods, body, headers);
      assert.equal(res.status, 400, body);
      assert.match(res.body.message, message);
    }
  });

  test('conflicts: AlreadyExists and a stale resourceVersion are 409', async () => {
    const first = await call<Pod>('POST', pods, manifest('taken'));
    const again = await call('POST', pods, manifest('taken'));
    assert.equal(again.status, 409);
    assert.equal(again.body.reason, 'AlreadyExists');
    assert.deepEqual(again.body.details, { kind: 'Pod', name: 'taken' });
    const updated = await call<Pod>('PUT', `${pods}/taken`, { ...first.body, metadata: { ...first.body.metadata, labels: { v: '1' } } });
    assert.equal(updated.status, 200);
    const stale = await call('PUT', `${pods}/taken`, { ...first.body, metadata: { ...first.body.metadata, labels: { v: '2' } } });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.reason, 'Conflict');
  });

  test('URL and body must agree on name and namespace', async () => {
    const ns = await call('POST', pods, manifest('x', { metadata: { name: 'x', namespace: 'other' } }));
    assert.equal(ns.status, 400);
    assert.match(ns.body.message, /metadata.namespace "other" does not match the namespace in the URL \(default\)/);
    const name = await call('PUT', `${pods}/x`, manifest('y'));
    assert.equal(name.status, 400);
    assert.match(name.body.message, /metadata.name "y" does not match the name in the URL \(x\)/);
  });

  test('unknown paths and resources are 404; wrong methods are 405', async () => {
    const cases: [string, string, number, string][] = [
      ['GET', '/api/v2/pods', 404, 'NotFound'],
      ['GET', '/nope', 404, 'NotFound'],
      ['GET', '/api/v1/widgets', 404, 'NotFound'],
      ['GET', `${pods}/missing`, 404, 'NotFound'],
      ['PUT', pods, 405, 'MethodNotAllowed'],
      ['DELETE', pods, 405, 'MethodNotAllowed'],
      ['PATCH', `${pods}/json-pod`, 415, 'UnsupportedMediaType'],
      ['POST', `${pods}/json-pod`, 405, 'MethodNotAllowed'],
      ['GET', `${pods}/json-pod/unknown`, 404, 'NotFound'],
    ];
    for (const [method, path, status, code] of cases) {
      const res = await call(method, path);
      assert.equal(res.status, status, `${method} ${path}`);
      assert.equal(res.body.reason, code, `${method} ${path}`);
      assert.equal(res.type, 'application/json');
    }
    const missing = await call('GET', `${pods}/missing`);
    assert.deepEqual(missing.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', code: 404, message: 'pod "missing" not found', details: { kind: 'Pod', name: 'missing' } });
  });

  test('binding, status and delete through HTTP', async () => {
    await call('POST', pods, manifest('bound'));
    const noTarget = await call('POST', `${pods}/bound/binding`, {});
    assert.equal(noTarget.status, 422);
    assert.deepEqual(noTarget.body.details?.causes, [{ field: 'target.name', message: 'required' }]);
    assert.equal((await call('POST', `${pods}/bound/binding`, { target: { name: 'n1' } })).status, 201);
    const pod = (await call<Pod>('GET', `${pods}/bound/status`)).body;
    assert.equal(pod.spec.nodeName, 'n1');
    const status = await call<Pod>('PUT', `${pods}/bound/status`, { ...pod, status: { ...pod.status, phase: 'Running' } });
    assert.equal(status.body.status?.phase, 'Running');
    const marked = await call<Pod>('DELETE', `${pods}/bound?gracePeriodSeconds=3`);
    assert.equal(marked.status, 200);
    assert.equal(marked.body.metadata.deletionGracePeriodSeconds, 3);
    const bad = await call('DELETE', `${pods}/bound?gracePeriodSeconds=soon`);
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /gracePeriodSeconds: expected a non-negative integer, got "soon"/);
    assert.equal((await call('DELETE', `${pods}/bound`, { gracePeriodSeconds: 0 })).status, 200);
    assert.equal((await call('GET', `${pods}/bound`)).status, 404);
  });

  test('dryRun=All answers 201 and stores nothing', async () => {
    const res = await call<Pod>('POST', `${pods}?dryRun=All`, manifest('dry'));
    assert.equal(res.status, 201);
    assert.equal(res.body.spec.restartPolicy, 'Always');
    assert.equal((await call('GET', `${pods}/dry`)).status, 404);
    // Any other value is refused rather than written for real.
    const bad = await call('POST', `${pods}?dryRun=all`, manifest('dry'));
    assert.equal(bad.status, 400);
    assert.equal((await call('GET', `${pods}/dry`)).status, 404);
  });

  test('a bad selector is a 400 BadRequest', async () => {
    const res = await call('GET', `${pods}?labelSelector=${encodeURIComponent('a in b')}`);
    assert.equal(res.status, 400);
    assert.equal(res.body.reason, 'BadRequest');
  });

  test('node services: logs of an unscheduled pod are refused; a node without an agent is 503', async () => {
    await call('POST', pods, manifest('loner'));
    const unscheduled = await call('GET', `${pods}/loner/log`);
    assert.equal(unscheduled.status, 400);
    assert.match(unscheduled.body.message, /pod "loner" is not scheduled to a node yet/);
    await call('POST', `${pods}/loner/binding`, { target: { name: 'far-away' } });
    const offline = await call('GET', `${pods}/loner/log`);
    assert.equal(offline.status, 503);
    assert.equal(offline.body.reason, 'ServiceUnavailable');
    assert.match(offline.body.message, /node "far-away" is not connected to this server/);
    const images = await call('GET', '/apis/lantern.dev/v1/images');
    assert.equal(images.status, 503);
  });

  test('watch streams one JSON event per line', { timeout: 10_000 }, async () => {
    const created = await call<Pod>('POST', pods, manifest('watched'));
    const abort = new AbortController();
    const res = await fetch(`${base}${pods}?watch=1&fieldSelector=metadata.name%3Dwatched&resourceVersion=${created.body.metadata.resourceVersion}`,
      { headers: { authorization: `Bearer ${TOKEN}` }, signal: abort.signal });
    assert.equal(res.status, 200);
    await call('DELETE', `${pods}/watched`);
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('\n')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    abort.abort();
    const event = JSON.parse(text.split('\n')[0]!) as { type: string; object: Pod };
    assert.equal(event.type, 'DELETED');
    assert.equal(event.object.metadata.name, 'watched');
  });
});
