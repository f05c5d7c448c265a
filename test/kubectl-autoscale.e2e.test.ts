/**
 * `kubectl autoscale` (v1.32 writes autoscaling/v1 in protobuf) against the stored autoscaling/v2
 * HorizontalPodAutoscaler, `kubectl get hpa` columns, the v1 view, and who may use it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';
import { Kubectl } from './harness/kubectl.js';

const server = new TestServer([], { https: true });
const cli = new Cli(server);
const k = new Kubectl(server, 'lantern-k3hpa-');

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: k3-web}
spec:
  replicas: 1
  selector: {matchLabels: {app: k3-web}}
  template:
    metadata: {labels: {app: k3-web}}
    spec: {terminationGracePeriodSeconds: 1, containers: [{name: main, image: busybox:latest, command: [sleep, "3600"], resources: {requests: {cpu: 100m}}}]}
`;

before(async () => {
  await server.start();
  await cli.importBusybox();
  await k.run(['apply', '-f', '-'], { input: deployment });
});
after(async () => {
  await server.lcctl(['delete', 'deployment', 'k3-web']);
  await server.stop();
  k.cleanup();
});

interface V1 { apiVersion: string; spec: { targetCPUUtilizationPercentage?: number; minReplicas?: number; maxReplicas: number; scaleTargetRef: { kind: string; name: string } } }
interface V2 { apiVersion: string; spec: { metrics?: Array<{ resource: { name: string; target: { averageUtilization?: number } } }>; maxReplicas: number } }

test('kubectl autoscale creates the autoscaler; get hpa prints kubectl\'s columns', async () => {
  assert.match(await k.ok(['autoscale', 'deployment', 'k3-web', '--cpu-percent=50', '--min=1', '--max=3']), /horizontalpodautoscaler.autoscaling\/k3-web autoscaled/);
  const table = await k.ok(['get', 'hpa']);
  assert.match(table, /^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE$/m);
  assert.match(table, /^k3-web\s+Deployment\/k3-web\s+cpu: (<unknown>|\d+%)\/50%\s+1\s+3\s+\d+\s+\S+$/m);
  const v2 = await k.json<V2>(['get', 'hpa', 'k3-web']);
  assert.equal(v2.apiVersion, 'autoscaling/v2');
  assert.deepEqual(v2.spec.metrics?.map((m) => [m.resource.name, m.resource.target.averageUtilization]), [['cpu', 50]]);
});

test('the autoscaling/v1 view reads and updates the same object', async () => {
  const v1 = JSON.parse(await k.ok(['get', '--raw', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/k3-web'])) as V1;
  assert.equal(v1.apiVersion, 'autoscaling/v1');
  assert.equal(v1.spec.targetCPUUtilizationPercentage, 50);
  assert.deepEqual([v1.spec.minReplicas, v1.spec.maxReplicas, v1.spec.scaleTargetRef.name], [1, 3, 'k3-web']);
  const put = await server.api<V1>('PUT', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/k3-web', { ...v1, spec: { ...v1.spec, maxReplicas: 4, targetCPUUtilizationPercentage: 70 } });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  const v2 = await k.json<V2>(['get', 'hpa', 'k3-web']);
  assert.equal(v2.spec.maxReplicas, 4);
  assert.equal(v2.spec.metrics?.[0]?.resource.target.averageUtilization, 70);
});

test('a bad v1 body is a 422 naming the field; a join identity may not read or write v1', async () => {
  const bad = await server.api<{ reason: string; details?: { causes?: Array<{ field: string }> } }>('POST', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers',
    { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'k3-bad' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'k3-web' }, maxReplicas: 'many' } });
  assert.equal(bad.status, 422);
  assert.ok(bad.body.details?.causes?.some((c) => c.field === 'spec.maxReplicas'));
  const join = server.joinToken;
  assert.equal((await server.api('GET', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers', undefined, join)).status, 403);
  const create = await server.api('POST', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers',
    { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'k3-evil' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'k3-web' }, maxReplicas: 9 } }, join);
  assert.equal(create.status, 403);
  const kubeconfig = path.join(k.home, 'join.yaml');
  writeFileSync(kubeconfig, readFileSync(path.join(server.dataDir, 'kubeconfig.yaml'), 'utf8').replace(server.token, join));
  const r = await k.run(['autoscale', 'deployment', 'k3-web', '--max=2', '--name=k3-evil2'], { kubeconfig });
  assert.equal(r.code, 1);
});
