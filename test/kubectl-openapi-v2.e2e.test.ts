/**
 * OpenAPI v2 at /openapi/v2 beside v3: a v2 reader gets one Swagger 2.0 JSON document, kubectl gets
 * the protobuf form it asks for (explain --output plaintext-openapiv2), explain and validation keep
 * using v3, and no token gets nothing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { TestServer } from './harness/lanternd.js';
import { Kubectl } from './harness/kubectl.js';

const server = new TestServer([], { https: true });
const k = new Kubectl(server, 'lantern-k3oapi-');

/** GET a path with that Accept (and token, when given): status, content type and body. */
function get(path: string, accept: string, token?: string): Promise<{ status: number; type: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(server.url + path, { headers: { accept, ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}) }, ca: server.ca }, (r) => {
      let text = '';
      r.on('data', (d: Buffer) => { text += d.toString(); });
      r.on('end', () => resolve({ status: r.statusCode ?? 0, type: String(r.headers['content-type'] ?? ''), text }));
      r.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

before(async () => { await server.start(); });
after(async () => { await server.stop(); k.cleanup(); });

test('a v2 client reads one Swagger 2.0 document with every kind and its paths', async () => {
  const r = await get('/openapi/v2', 'application/json', server.token);
  assert.equal(r.status, 200);
  assert.match(r.type, /application\/json/);
  const doc = JSON.parse(r.text) as { swagger: string; definitions: Record<string, unknown>; paths: Record<string, unknown> };
  assert.equal(doc.swagger, '2.0');
  for (const name of ['io.k8s.api.core.v1.Pod', 'io.k8s.api.apps.v1.Deployment', 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler']) assert.ok(doc.definitions[name], name);
  assert.ok(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}']);
  // The same document through kubectl's raw GET.
  assert.equal((JSON.parse(await k.ok(['get', '--raw', '/openapi/v2'])) as { swagger: string }).swagger, '2.0');
});

test('kubectl explain reads v2 (protobuf) and v3; strict validation still works', async () => {
  const pb = await get('/openapi/v2', 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf', server.token);
  assert.equal(pb.status, 200);
  assert.match(pb.type, /protobuf/);
  assert.match(await k.ok(['explain', 'deployment.spec.replicas', '--output', 'plaintext-openapiv2']), /FIELD:\s+replicas\s+<integer>/);
  assert.match(await k.ok(['explain', 'deployment.spec']), /replicas\s+<integer>/);
  const bad = await k.run(['apply', '--validate=strict', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: k3-oapi}\nnotAField: 1\n' });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /notAField/);
});

test('without a token the document is refused', async () => {
  assert.equal((await get('/openapi/v2', 'application/json')).status, 401);
});
