/**
 * The official JavaScript client (@kubernetes/client-node 1.x) against Lantern with the kubeconfig the
 * server writes: VersionApi, typed list/create/read, PATCH in its three types, KubernetesObjectApi
 * (discovery), a watch, a pod's log and Exec over the channel.k8s.io WebSocket.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { TestServer } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';

const server = new TestServer([], { https: true });
const cli = new Cli(server);
const kc = new k8s.KubeConfig();

before(async () => {
  await server.start();
  await cli.importBusybox();
  kc.loadFromFile(path.join(server.dataDir, 'kubeconfig.yaml'));
});
after(async () => { await server.stop(); });

test('VersionApi and KubernetesObjectApi read /version and discovery', async () => {
  const version = await kc.makeApiClient(k8s.VersionApi).getCode();
  assert.equal(version.major, '1');
  assert.match(version.gitVersion, /\+lantern-/);
  const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  const created = await objects.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-object-api', namespace: 'default' }, data: { a: '1' } });
  assert.equal(created.metadata?.name, 'from-object-api');
  const read = await objects.read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-object-api', namespace: 'default' } }) as k8s.V1ConfigMap;
  assert.deepEqual(read.data, { a: '1' });
});

test('typed create, list and the three PATCH types', async () => {
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  await apps.createNamespacedDeployment({ namespace: 'default', body: {
    metadata: { name: 'jsweb' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'jsweb' } }, template: { metadata: { labels: { app: 'jsweb' } }, spec: { containers: [{ name: 'web', image: 'busybox:latest', command: ['sh', '-c', 'echo js-hello; sleep 3600'] }] } } },
  } });
  const list = await apps.listNamespacedDeployment({ namespace: 'default' });
  assert.ok(list.items.some((d) => d.metadata?.name === 'jsweb'));
  await apps.patchNamespacedDeployment({ name: 'jsweb', namespace: 'default', body: { metadata: { labels: { via: 'merge' } } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
  await apps.patchNamespacedDeployment({ name: 'jsweb', namespace: 'default', body: [{ op: 'add', path: '/metadata/annotations', value: { via: 'json' } }] }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch));
  await apps.patchNamespacedDeployment({ name: 'jsweb', namespace: 'default', body: { spec: { template: { spec: { containers: [{ name: 'web', env: [{ name: 'X', value: 'y' }] }] } } } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch));
  const d = await apps.readNamespacedDeployment({ name: 'jsweb', namespace: 'default' });
  assert.equal(d.metadata?.labels?.via, 'merge');
  assert.equal(d.metadata?.annotations?.via, 'json');
  assert.equal(d.spec?.template.spec?.containers[0]?.image, 'busybox:latest', 'the strategic merge kept the container\'s other fields');
  assert.deepEqual(d.spec?.template.spec?.containers[0]?.env?.map((e) => ({ name: e.name, value: e.value })), [{ name: 'X', value: 'y' }]);
  const missing = await apps.readNamespacedDeployment({ name: 'nope', namespace: 'default' }).catch((e: unknown) => e);
  assert.ok(missing instanceof k8s.ApiException, String(missing));
  assert.equal(missing.code, 404);
  const body = JSON.parse(String(missing.body)) as { kind: string; reason: string; message: string };
  assert.deepEqual([body.kind, body.reason, body.message], ['Status', 'NotFound', 'deployment "nope" not found']);
});

test('a watch, the pod\'s log and Exec', async () => {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const seen: string[] = [];
  const watch = new k8s.Watch(kc);
  const req = await watch.watch('/api/v1/namespaces/default/pods', { labelSelector: 'app=jsweb' }, (type: string, obj: k8s.V1Pod) => { seen.push(`${type} ${obj.status?.phase ?? ''}`); }, () => undefined);
  const pod = await server.until('a running jsweb pod', async () => {
    const pods = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=jsweb' });
    return pods.items.find((p) => p.status?.phase === 'Running' && p.metadata?.deletionTimestamp === undefined);
  }, 60_000);
  req.abort();
  assert.ok(seen.some((s) => s.startsWith('ADDED')), seen.join(', '));
  const name = pod.metadata!.name!;
  const log = await server.until('the log line', async () => {
    const text = await core.readNamespacedPodLog({ name, namespace: 'default' });
    return text.includes('js-hello') ? text : undefined;
  }, 30_000);
  assert.match(log, /js-hello/);
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (d: Buffer) => { out += d.toString(); });
  const status = await new Promise<k8s.V1Status>((resolve, reject) => {
    new k8s.Exec(kc).exec('default', name, 'web', ['sh', '-c', 'echo from-exec; echo to-stderr >&2'], stdout, null, null, false, resolve).catch(reject);
  });
  assert.equal(status.status, 'Success');
  assert.equal(out, 'from-exec\n', 'stdout alone: stderr was not asked for');
});
