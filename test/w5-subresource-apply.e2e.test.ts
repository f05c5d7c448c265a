/**
 * Server-side apply on the status and scale subresources (`kubectl apply --server-side
 * --subresource=status`, an apply PATCH of a Scale), and the autoscaling/v1 view's watch and PATCH,
 * with who may use them.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { TestServer } from './harness/lanternd.js';
import { Kubectl } from './harness/kubectl.js';

const server = new TestServer([], { https: true });
const k = new Kubectl(server, 'lantern-w5ssa-');

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: w5-web}
spec:
  replicas: 0
  selector: {matchLabels: {app: w5-web}}
  template:
    metadata: {labels: {app: w5-web}}
    spec: {terminationGracePeriodSeconds: 1, containers: [{name: main, image: w5-absent:latest, resources: {requests: {cpu: 100m}}}]}
`;
const service = `apiVersion: v1
kind: Service
metadata: {name: w5-svc}
spec: {ports: [{port: 80}], selector: {app: w5-web}}
`;

/** One HTTPS request with a Content-Type of our choosing; answers status and body text. */
function call(method: string, p: string, contentType: string, body: string, token = server.token): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(server.url + p, { method, headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, ca: server.ca }, (r) => {
      let text = '';
      r.on('data', (c: Buffer) => { text += c.toString(); });
      r.on('end', () => { resolve({ status: r.statusCode ?? 0, text }); });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The first line of a watch (then hang up). */
function firstWatchLine(p: string, token = server.token): Promise<{ status: number; line: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(server.url + p, { headers: { authorization: `Bearer ${token}` }, ca: server.ca }, (r) => {
      let text = '';
      r.on('data', (c: Buffer) => {
        text += c.toString();
        const nl = text.indexOf('\n');
        if (nl >= 0 || r.statusCode !== 200) { resolve({ status: r.statusCode ?? 0, line: nl >= 0 ? text.slice(0, nl) : text }); req.destroy(); }
      });
      r.on('end', () => { resolve({ status: r.statusCode ?? 0, line: text }); });
    });
    req.on('error', (e) => { if (!req.destroyed) reject(e); });
    req.end();
  });
}

before(async () => {
  await server.start();
});
after(async () => {
  await server.lcctl(['delete', 'deployment', 'w5-web']).catch(() => undefined);
  await server.stop();
  k.cleanup();
});

test('kubectl apply --server-side --subresource=status writes the status and leaves the spec', async () => {
  assert.equal((await k.run(['apply', '-f', '-'], { input: service })).code, 0);
  const statusDoc = `${service}status: {loadBalancer: {ingress: [{ip: 192.0.2.10}]}}\n`;
  const r = await k.run(['apply', '--server-side', '--subresource=status', '--field-manager=w5-lb', '-f', '-'], { input: statusDoc });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const svc = await k.json<{ spec: { ports: Array<{ port: number }> }; status?: { loadBalancer?: { ingress?: Array<{ ip: string }> } } }>(['get', 'service', 'w5-svc']);
  assert.equal(svc.status?.loadBalancer?.ingress?.[0]?.ip, '192.0.2.10');
  assert.equal(svc.spec.ports[0]?.port, 80);
  // A status apply without a status is a 422 naming the field.
  const bad = await call('PATCH', '/api/v1/namespaces/default/services/w5-svc/status?fieldManager=w5', 'application/apply-patch+yaml', '{"apiVersion":"v1","kind":"Service","metadata":{"name":"w5-svc"}}');
  assert.equal(bad.status, 422, bad.text);
  assert.match(bad.text, /status/);
});

test('an apply PATCH of a Scale sets the replicas; a join identity may not', async () => {
  assert.equal((await k.run(['apply', '-f', '-'], { input: deployment })).code, 0);
  const scale = JSON.stringify({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'w5-web', namespace: 'default' }, spec: { replicas: 2 } });
  const p = '/apis/apps/v1/namespaces/default/deployments/w5-web/scale?fieldManager=w5';
  const denied = await call('PATCH', p, 'application/apply-patch+yaml', scale, server.joinToken);
  assert.equal(denied.status, 403, denied.text);
  const r = await call('PATCH', p, 'application/apply-patch+yaml', scale);
  assert.equal(r.status, 200, r.text);
  assert.equal((JSON.parse(r.text) as { spec: { replicas: number } }).spec.replicas, 2);
  assert.equal((await k.json<{ spec: { replicas: number } }>(['get', 'deployment', 'w5-web'])).spec.replicas, 2);
  const neg = await call('PATCH', p, 'application/apply-patch+yaml', JSON.stringify({ spec: { replicas: -1 } }));
  assert.equal(neg.status, 422, neg.text);
});

test('autoscaling/v1 serves watch and PATCH on the v2 object; a join identity may not', async () => {
  await k.ok(['autoscale', 'deployment', 'w5-web', '--cpu-percent=50', '--min=1', '--max=3']);
  const base = '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers';
  const w = await firstWatchLine(`${base}?watch=true`);
  assert.equal(w.status, 200, w.line);
  const ev = JSON.parse(w.line) as { type: string; object: { apiVersion: string; spec: { targetCPUUtilizationPercentage?: number } } };
  assert.equal(ev.type, 'ADDED');
  assert.equal(ev.object.apiVersion, 'autoscaling/v1');
  assert.equal(ev.object.spec.targetCPUUtilizationPercentage, 50);
  assert.equal((await firstWatchLine(`${base}?watch=true`, server.joinToken)).status, 403);

  const merge = await call('PATCH', `${base}/w5-web`, 'application/merge-patch+json', JSON.stringify({ spec: { maxReplicas: 5, targetCPUUtilizationPercentage: 70 } }));
  assert.equal(merge.status, 200, merge.text);
  const v2 = await k.json<{ spec: { maxReplicas: number; metrics?: Array<{ resource: { target: { averageUtilization?: number } } }> } }>(['get', 'hpa', 'w5-web']);
  assert.equal(v2.spec.maxReplicas, 5);
  assert.equal(v2.spec.metrics?.[0]?.resource.target.averageUtilization, 70);
  const json = await call('PATCH', `${base}/w5-web`, 'application/json-patch+json', JSON.stringify([{ op: 'replace', path: '/spec/minReplicas', value: 2 }]));
  assert.equal(json.status, 200, json.text);
  assert.equal((JSON.parse(json.text) as { spec: { minReplicas: number } }).spec.minReplicas, 2);
  const bad = await call('PATCH', `${base}/w5-web`, 'application/merge-patch+json', JSON.stringify({ spec: { maxReplicas: 'many' } }));
  assert.equal(bad.status, 422, bad.text);
  const denied = await call('PATCH', `${base}/w5-web`, 'application/merge-patch+json', JSON.stringify({ spec: { maxReplicas: 9 } }), server.joinToken);
  assert.equal(denied.status, 403, denied.text);
});
