/**
 * The service proxy on a real node (the server's own agent): a Deployment of two busybox httpd pods
 * behind a Service created through the API, reached at its ClusterIP from the host and from a pod.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { spawnSync } from 'node:child_process';
import type { Pod } from '../src/api/pod.js';
import type { Service } from '../src/api/schema/service.js';
import type { EndpointSlice } from '../src/api/schema/endpoint-slice.js';
import { TestServer } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';

// A Service range of its own, so parallel test servers on this host never program the same ClusterIP.
const server = new TestServer(['--service-cidr', `10.150.${process.pid % 256}.0/24`]);
const cli = new Cli(server);
interface List<T> { items: T[] }

const get = (ip: string): Promise<string> => new Promise((resolve, reject) => {
  const req = http.get({ host: ip, port: 80, path: '/', timeout: 5000 }, (res) => {
    let body = '';
    res.on('data', (b: Buffer) => { body += b.toString(); });
    res.on('end', () => resolve(body.trim()));
  });
  req.on('timeout', () => req.destroy(new Error('timed out')));
  req.on('error', reject);
});

before(async () => {
  await server.start();
  await cli.importBusybox();
});

after(async () => {
  await server.api('DELETE', '/apis/apps/v1/namespaces/default/deployments/web').catch(() => undefined);
  await server.until('web pods gone', async () => (await server.api<List<Pod>>('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')).body.items.length === 0, 60_000).catch(() => undefined);
  await server.stop();
  const tables = spawnSync('nft', ['list', 'tables'], { encoding: 'utf8' }).stdout;
  assert.ok(!tables.includes(`lantern-proxy-${server.bridge}`), 'the host sweep removes the proxy table');
});

test('a ClusterIP in front of two httpd pods answers from the host and from a pod, spread over both', async () => {
  const labels = { app: 'web' };
  const created = await server.api('POST', '/apis/apps/v1/namespaces/default/deployments', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
    spec: {
      replicas: 2, selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{
        name: 'httpd', image: 'busybox:latest', ports: [{ containerPort: 8080, name: 'http' }],
        command: ['sh', '-c', 'mkdir -p /w && hostname > /w/index.html && exec httpd -f -p 8080 -h /w'],
        readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
      }] } },
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const svc = await server.api<Service>('POST', '/api/v1/namespaces/default/services', {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' },
    spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  });
  assert.equal(svc.status, 201, JSON.stringify(svc.body));
  const ip = svc.body.spec.clusterIP!;
  assert.match(ip, /^10\.150\./);

  await server.until('two ready endpoints', async () => {
    const slices = (await server.api<List<EndpointSlice>>('GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dweb')).body.items;
    return slices.flatMap((s) => s.endpoints).filter((e) => e.conditions?.ready !== false).length === 2;
  }, 120_000);
  const pods = (await server.api<List<Pod>>('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')).body.items.map((p) => p.metadata.name).sort();

  // From the host (the node itself): both pods answer over some tries.
  const seen = await server.until('both pods answer the ClusterIP from the host', async () => {
    const answers = new Set<string>();
    for (let i = 0; i < 30; i++) answers.add(await get(ip));
    return answers.size === 2 && [...answers].sort();
  }, 60_000);
  assert.deepEqual(seen, pods);

  // From a pod: through the pod bridge (and back to itself when it picks its own endpoint).
  const fromPod = new Set<string>();
  // busybox's static wget crashes on this host; nc speaks the HTTP request itself.
  const request = `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 5 ${ip} 80`;
  for (let i = 0; i < 12; i++) fromPod.add((await cli.ok(['exec', pods[0]!, 'sh', '-c', request])).trim().split('\n').at(-1)!.trim());
  assert.deepEqual([...fromPod].sort(), pods);
});
