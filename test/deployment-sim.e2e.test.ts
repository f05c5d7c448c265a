/**
 * Deployments end to end on a real control plane with simulated nodes from a real `lanternd sim`:
 * apply a manifest, roll it to a new template through lcctl, check the pods and the verbs' output.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../src/api/pod.js';
import type { Deployment, ReplicaSet, Scale } from '../src/api/schema/apps.js';
import { TestServer, type LanterndProcess } from './harness/lanternd.js';
import { startSim } from './harness/sim.js';

const server = new TestServer(['--no-agent', '--insecure-http']);
let sim: LanterndProcess | undefined;

interface List<T> { items: T[] }
const appPods = async (app: string): Promise<Pod[]> => (await server.api<List<Pod>>('GET', `/api/v1/namespaces/default/pods?labelSelector=app%3D${app}`)).body.items;
const live = (p: Pod): boolean => !p.metadata.deletionTimestamp && p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded';
const isReady = (p: Pod): boolean => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
const ok = (r: { code: number; stdout: string; stderr: string }): string => {
  assert.equal(r.code, 0, `lcctl failed: ${r.stderr}${r.stdout}\n${server.logs.slice(-3000)}`);
  return r.stdout;
};

before(async () => {
  await server.start();
  sim = startSim(server.url, server.joinToken, ['--nodes', '10', '--cpu', '4', '--memory', '8Gi', '--heartbeat-interval', '1s']);
  await server.until(`10 simulated nodes (sim log: ${sim.log})`, async () => (await server.api<List<unknown>>('GET', '/api/v1/nodes')).body.items.length === 10, 60_000);
});

after(async () => {
  await sim?.kill9();
  await server.stop();
});

const manifest = (image: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 6
  selector:
    matchLabels: {app: web}
  strategy:
    rollingUpdate: {maxSurge: 2, maxUnavailable: 0}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: ${image}
`;

test('apply -f a Deployment, roll it to a new image with set image, undo it; ready pods never drop below replicas with maxUnavailable 0', async () => {
  ok(await server.lcctl(['apply', '-f', '-'], manifest('busybox:1')));
  const status = ok(await server.lcctl(['rollout', 'status', 'deployment/web', '--timeout', '60s']));
  assert.match(status, /deployment "web" successfully rolled out\n$/);
  assert.equal((await appPods('web')).filter(live).filter(isReady).length, 6);

  const table = ok(await server.lcctl(['get', 'deploy']));
  assert.match(table, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\n/);
  assert.match(table, /\nweb\s+6\/6\s+6\s+6\s+\d+s\n/);
  const wide = ok(await server.lcctl(['get', 'deployments', '-o', 'wide']));
  assert.match(wide, /CONTAINERS\s+IMAGES\s+SELECTOR\n/);
  assert.match(wide, /\bweb\s+busybox:1\s+app=web\n/);

  // Sample the pods throughout the rollout: never fewer than 6 ready, never more than 6 + 2 pods.
  let minReady = Infinity;
  let maxPods = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const ps = (await appPods('web')).filter(live);
      minReady = Math.min(minReady, ps.filter(isReady).length);
      maxPods = Math.max(maxPods, ps.length);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  assert.equal(ok(await server.lcctl(['set', 'image', 'deployment/web', 'web=busybox:2'])), 'deployment.apps/web image updated\n');
  const rolled = ok(await server.lcctl(['rollout', 'status', 'deploy/web', '--timeout', '60s']));
  sampling = false;
  await sampler;
  assert.match(rolled, /successfully rolled out/);
  assert.ok(minReady >= 6, `ready pods fell to ${minReady}`);
  assert.ok(maxPods <= 8, `${maxPods} pods at once, above replicas + maxSurge = 8`);
  const after2 = (await appPods('web')).filter(live);
  assert.deepEqual(after2.map((p) => p.spec.containers[0]!.image), Array(6).fill('busybox:2'));
  assert.ok(after2.every((p) => /^sim-node-\d+$/.test(p.spec.nodeName ?? '')));

  const history = ok(await server.lcctl(['rollout', 'history', 'deployment/web']));
  assert.match(history, /^deployment\.apps\/web\nREVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>\n/);
  assert.equal(ok(await server.lcctl(['rollout', 'undo', 'deployment/web'])), 'deployment.apps/web rolled back\n');
  ok(await server.lcctl(['rollout', 'status', 'deployment/web', '--timeout', '60s']));
  await server.until('pods back on busybox:1', async () => {
    const ps = (await appPods('web')).filter(live);
    return ps.length === 6 && ps.every((p) => p.spec.containers[0]!.image === 'busybox:1');
  });
  const d = (await server.api<Deployment>('GET', '/apis/apps/v1/namespaces/default/deployments/web')).body;
  assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
  const rss = (await server.api<List<ReplicaSet>>('GET', '/apis/apps/v1/namespaces/default/replicasets')).body.items;
  assert.equal(rss.length, 2);
  assert.match(ok(await server.lcctl(['get', 'rs'])), /^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\n/);
});

test('scale through lcctl and the scale subresource; describe; delete removes the ReplicaSets and pods', async () => {
  assert.equal(ok(await server.lcctl(['scale', 'deployment/web', '--replicas=3'])), 'deployment.apps/web scaled\n');
  await server.until('3 pods', async () => (await appPods('web')).filter(live).length === 3);
  const scale = await server.api<Scale>('GET', '/apis/apps/v1/namespaces/default/deployments/web/scale');
  assert.equal(scale.body.kind, 'Scale');
  assert.equal(scale.body.spec.replicas, 3);
  assert.equal(scale.body.status?.selector, 'app=web');
  const put = await server.api<Scale>('PUT', '/apis/apps/v1/namespaces/default/deployments/web/scale', { spec: { replicas: 4 } });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  await server.until('4 pods', async () => (await appPods('web')).filter(live).length === 4);
  ok(await server.lcctl(['rollout', 'status', 'deployment/web']));
  const described = ok(await server.lcctl(['describe', 'deployment', 'web']));
  assert.match(described, /Replicas:\s+4 desired \| 4 updated \| 4 total \| 4 available \| 0 unavailable/);
  assert.match(described, /Available\s+True\s+MinimumReplicasAvailable/);
  assert.match(described, /Progressing\s+True\s+NewReplicaSetAvailable/);
  assert.match(described, /NewReplicaSet:\s+web-\w+ \(4\/4 replicas created\)/);
  assert.match(described, /Normal\s+ScalingReplicaSet\s+\S+\s+deployment-controller\s+Scaled up replica set web-\w+ to 4 from 3/);

  const bad = await server.lcctl(['scale', 'deployment/nope', '--replicas=1']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /deployments?(\.apps)? "nope" not found|Deployment "nope" not found/i);

  ok(await server.lcctl(['delete', 'deployment', 'web']));
  await server.until('ReplicaSets and pods gone', async () => {
    const rss = (await server.api<List<ReplicaSet>>('GET', '/apis/apps/v1/namespaces/default/replicasets')).body.items;
    return rss.length === 0 && (await appPods('web')).length === 0;
  });
});
