/**
 * Services and EndpointSlices on a real server and agent: a Deployment of busybox pods with a
 * readiness probe exposed with lcctl expose; get svc -o wide, get svc,endpointslices and describe svc
 * list the pods' IPs; a pod made unready (its probe file removed) leaves the endpoints.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../src/api/pod.js';
import type { Service } from '../src/api/schema/service.js';
import { TestServer } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';

const server = new TestServer();
const cli = new Cli(server);

interface List<T> { items: T[] }
const readyPods = async (): Promise<Pod[]> => (await server.api<List<Pod>>('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dsvcweb')).body.items
  .filter((p) => !p.metadata.deletionTimestamp && p.status?.podIP && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));

const deployment = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'svcweb' },
  spec: {
    replicas: 2, selector: { matchLabels: { app: 'svcweb' } },
    template: {
      metadata: { labels: { app: 'svcweb' } },
      spec: { containers: [{
        name: 'web', image: 'busybox:latest', command: ['sh', '-c', 'touch /tmp/ready; while :; do sleep 1; done'],
        ports: [{ name: 'http', containerPort: 8080 }],
        readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 1, timeoutSeconds: 10, failureThreshold: 1 },
      }] },
    },
  },
};

before(async () => {
  await server.start();
  await cli.importBusybox();
});
after(async () => {
  await server.lcctl(['delete', 'deployment', 'svcweb']);
  await server.until('pods gone', async () => (await server.api<List<Pod>>('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dsvcweb')).body.items.length === 0, 60_000).catch(() => undefined);
  await server.stop();
});

test('the kubernetes Service exists at the first address of the service CIDR', async () => {
  const out = await cli.ok(['get', 'svc', 'kubernetes']);
  assert.match(out, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\nkubernetes\s+ClusterIP\s+10\.43\.0\.1\s+<none>\s+443\/TCP\s+\S+\n$/);
});

test('expose a Deployment: get, describe list the ready pods; an unready pod leaves the endpoints', async () => {
  assert.equal((await server.api('POST', '/apis/apps/v1/namespaces/default/deployments', deployment)).status, 201);
  const pods = await server.until('two ready pods', async () => { const p = await readyPods(); return p.length === 2 && p; }, 120_000);
  const ips = pods.map((p) => p.status!.podIP!).sort();

  assert.equal(await cli.ok(['expose', 'deployment', 'svcweb', '--port', '80', '--target-port', 'http', '--type', 'NodePort']), 'service/svcweb exposed\n');
  const svc = (await server.api<Service>('GET', '/api/v1/namespaces/default/services/svcweb')).body;
  assert.match(svc.spec.clusterIP ?? '', /^10\.43\.\d+\.\d+$/);
  const nodePort = svc.spec.ports?.[0]?.nodePort ?? 0;
  assert.ok(nodePort >= 30000 && nodePort <= 32767);
  assert.deepEqual(svc.spec.selector, { app: 'svcweb' });

  const wide = await cli.ok(['get', 'svc', 'svcweb', '-o', 'wide']);
  assert.match(wide, new RegExp(`^NAME\\s+TYPE\\s+CLUSTER-IP\\s+EXTERNAL-IP\\s+PORT\\(S\\)\\s+AGE\\s+SELECTOR\\nsvcweb\\s+NodePort\\s+${svc.spec.clusterIP!.replace(/\./g, '\\.')}\\s+<none>\\s+80:${nodePort}/TCP\\s+\\S+\\s+app=svcweb\\n$`));

  const described = await server.until('describe lists both pods', async () => {
    const d = await cli.ok(['describe', 'svc', 'svcweb']);
    return ips.every((ip) => d.includes(`${ip}:8080`)) && d;
  }, 30_000);
  assert.match(described, /Type:\s+NodePort\n/);
  assert.match(described, new RegExp(`NodePort:\\s+<unset>\\s+${nodePort}/TCP`));

  const both = await cli.ok(['get', 'svc,endpointslices']);
  assert.match(both, /NAME\s+TYPE\s+CLUSTER-IP/);
  assert.match(both, /\n\nNAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE\n/);
  assert.match(both, /svcweb-\S+\s+IPv4\s+8080\s+\S+/);

  // The first pod turns unready: its probe file goes.
  const [first, second] = pods.sort((a, b) => a.status!.podIP!.localeCompare(b.status!.podIP!));
  await cli.ok(['exec', first!.metadata.name, 'rm', '/tmp/ready']);
  await server.until('only the second pod in describe', async () => {
    const d = await cli.ok(['describe', 'svc', 'svcweb']);
    return !d.includes(`${first!.status!.podIP}:8080`) && d.includes(`${second!.status!.podIP}:8080`);
  }, 60_000);

  assert.match(await cli.ok(['delete', 'svc', 'svcweb']), /service "svcweb" deleted/);
  await server.until('its slices are gone', async () =>
    (await server.api<List<unknown>>('GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dsvcweb')).body.items.length === 0, 30_000);
});
