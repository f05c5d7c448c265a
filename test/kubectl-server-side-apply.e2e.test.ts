/**
 * The real kubectl (v1.32) doing server-side apply: create-on-apply, managedFields per manager and
 * operation, a conflict (409 with Kubernetes' message naming the field and its manager), --force-conflicts,
 * fields a manager stops applying removed, --field-manager, and a join identity refused; and
 * @kubernetes/client-node's KubernetesObjectApi.patch with PatchStrategy.ServerSideApply on list items.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { TestServer } from './harness/lanternd.js';
import { Kubectl } from './harness/kubectl.js';

const server = new TestServer([], { https: true });
const k = new Kubectl(server, 'lantern-k3ssa-');

interface Managed { manager: string; operation: string; fieldsV1: Record<string, Record<string, unknown>> }
interface ConfigMapOut { data?: Record<string, string>; metadata: { managedFields?: Managed[]; labels?: Record<string, string> } }

const file = (name: string, data: Record<string, string>): string => {
  const p = path.join(k.home, `${name}.yaml`);
  writeFileSync(p, `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: k3-ssa}\ndata: ${JSON.stringify(data)}\n`);
  return p;
};
const read = (): Promise<ConfigMapOut> => k.json<ConfigMapOut>(['get', 'configmap', 'k3-ssa', '--show-managed-fields']);
const managers = (o: ConfigMapOut): string[] => (o.metadata.managedFields ?? []).map((m) => `${m.manager}/${m.operation}`).sort();

before(async () => { await server.start(); });
after(async () => {
  await server.stop();
  k.cleanup();
});

test('apply --server-side creates the object and records kubectl as its Apply manager', async () => {
  assert.match(await k.ok(['apply', '--server-side', '-f', file('v1', { a: '1', c: '3' })]), /configmap\/k3-ssa serverside-applied/);
  const o = await read();
  assert.deepEqual(o.data, { a: '1', c: '3' });
  assert.deepEqual(managers(o), ['kubectl/Apply']);
  assert.deepEqual(o.metadata.managedFields?.[0]?.fieldsV1['f:data'], { 'f:a': {}, 'f:c': {} });
});

test('another manager\'s change is a conflict naming the field; --force-conflicts takes it over', async () => {
  await k.ok(['patch', 'configmap', 'k3-ssa', '--type', 'merge', '-p', '{"data":{"a":"2"}}']);
  assert.deepEqual(managers(await read()), ['kubectl-patch/Update', 'kubectl/Apply']);
  const refused = await k.run(['apply', '--server-side', '-f', file('v1', { a: '1', c: '3' })]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /Apply failed with 1 conflict: conflict with "kubectl-patch"/);
  assert.match(refused.stderr, /\.data\.a/);
  assert.equal((await read()).data?.a, '2', 'a refused apply writes nothing');
  await k.ok(['apply', '--server-side', '--force-conflicts', '-f', file('v1', { a: '1', c: '3' })]);
  const o = await read();
  assert.equal(o.data?.a, '1');
  assert.deepEqual(managers(o), ['kubectl/Apply'], 'kubectl-patch owned only data.a and lost it');
});

test('a field the manager stops applying is removed; another manager\'s field stays', async () => {
  await k.ok(['label', 'configmap', 'k3-ssa', 'team=blue']);
  await k.ok(['apply', '--server-side', '--field-manager', 'k3-other', '-f', file('other', { b: '2' })]);
  await k.ok(['apply', '--server-side', '-f', file('v2', { a: '1' })]);
  const o = await read();
  assert.deepEqual(o.data, { a: '1', b: '2' }, 'c went with kubectl\'s configuration; b is k3-other\'s');
  assert.equal(o.metadata.labels?.team, 'blue');
  assert.deepEqual(managers(o), ['k3-other/Apply', 'kubectl-label/Update', 'kubectl/Apply']);
});

test('a join identity may not apply', async () => {
  const kubeconfig = path.join(k.home, 'join-kubeconfig.yaml');
  writeFileSync(kubeconfig, readFileSync(path.join(server.dataDir, 'kubeconfig.yaml'), 'utf8').replace(server.token, server.joinToken));
  const r = await k.run(['apply', '--server-side', '-f', file('evil', { a: 'evil' })], { kubeconfig });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Forbidden|forbidden/);
  assert.equal((await read()).data?.a, '1');
});

test('client-node applies server-side; a container image another manager set is a conflict on its list item', async () => {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(path.join(server.dataDir, 'kubeconfig.yaml'));
  const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  const deploy = (image: string): k8s.V1Deployment => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'k3-ssa-web', namespace: 'default' },
    spec: { replicas: 0, selector: { matchLabels: { app: 'k3-ssa-web' } }, template: { metadata: { labels: { app: 'k3-ssa-web' } }, spec: { containers: [{ name: 'app', image }] } } },
  });
  await objects.patch(deploy('busybox:1'), undefined, undefined, 'k3-team-a', false, k8s.PatchStrategy.ServerSideApply);
  const conflict = await objects.patch(deploy('busybox:2'), undefined, undefined, 'k3-team-b', false, k8s.PatchStrategy.ServerSideApply).then(() => undefined, (e: unknown) => e);
  assert.ok(conflict instanceof k8s.ApiException, String(conflict));
  assert.equal(conflict.code, 409);
  assert.match(String(conflict.body), /conflict with \\?"k3-team-a\\?" using apps\/v1: \.spec\.template\.spec\.containers\[name=\\?"app\\?"\]\.image/);
  const forced = await objects.patch(deploy('busybox:2'), undefined, undefined, 'k3-team-b', true, k8s.PatchStrategy.ServerSideApply);
  assert.equal(forced.spec?.template.spec?.containers[0]?.image, 'busybox:2');
  assert.deepEqual((forced.metadata?.managedFields ?? []).map((m) => m.manager).sort(), ['k3-team-a', 'k3-team-b'], 'team-a keeps the fields it still shares');
  await objects.delete(deploy('busybox:2'));
});
