/**
 * The service proxy on `lanternd agent` nodes (each in its own network namespace, joined with its own
 * credential; host-gw routes between their pod ranges): a Service whose one pod runs on host-1 is
 * programmed on host-2 too and answers there.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { Service } from '../src/api/schema/service.js';
import type { EndpointSlice } from '../src/api/schema/endpoint-slice.js';
import { TestServer } from './harness/lanternd.js';
import { freeHostPort } from './harness/cli.js';
import { NetnsHosts } from './harness/netns-hosts.js';
import { RemoteAgent } from './harness/remote-agent.js';

interface List<T> { items: T[] }
const net = new NetnsHosts(2);
let server: TestServer | undefined;
const agents: RemoteAgent[] = [];
const srv = (): TestServer => { if (!server) throw new Error('server not started'); return server; };
const logs = (): string => agents.map((a) => `\n--- ${a.name} ---\n${a.log.slice(-2000)}`).join('');

before(async () => {
  net.create();
  const port = await freeHostPort();
  server = new TestServer(['--no-agent', '--listen', `${net.gateway}:${port}`, '--tls-san', net.gateway, '--network-backend', 'host-gw'], { https: true });
  await server.start();
  for (const h of net.hosts) {
    const a = new RemoteAgent(server, `host-${h.index}`, { prefix: net.enter(h), bridge: `lq${net.id}${h.index}` });
    agents.push(a);
    await a.start();
  }
});

after(async () => {
  await Promise.all(agents.map((a) => a.remove('web')));
  net.destroy();
  await server?.stop();
  assert.deepEqual(net.leftovers(), []);
});

test('a remote node programs the Service and reaches its pod on the other node through the ClusterIP', { timeout: 240_000 }, async () => {
  const pod = await srv().api('POST', '/api/v1/namespaces/default/pods', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels: { app: 'web' } },
    spec: { nodeName: 'host-1', terminationGracePeriodSeconds: 1, containers: [{
      name: 'httpd', image: 'busybox', ports: [{ containerPort: 8080 }],
      command: ['sh', '-c', 'mkdir -p /w && echo web-on-host-1 > /w/index.html && exec httpd -f -p 8080 -h /w'],
    }] },
  });
  assert.equal(pod.status, 201, JSON.stringify(pod.body));
  const svc = await srv().api<Service>('POST', '/api/v1/namespaces/default/services', {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
  });
  assert.equal(svc.status, 201, JSON.stringify(svc.body));
  const ip = svc.body.spec.clusterIP!;
  await srv().until(`a ready endpoint${logs()}`, async () => (await srv().api<List<EndpointSlice>>('GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices')).body.items
    .some((s) => s.endpoints.some((e) => e.conditions?.ready !== false)), 120_000);

  const host2 = net.hosts[1]!;
  const inHost2 = (args: string[]) => spawnSync('ip', ['netns', 'exec', host2.netns, ...args], { encoding: 'utf8', timeout: 20_000 });
  await srv().until(`host-2's table has the ClusterIP${logs()}`, async () => inHost2(['nft', 'list', 'map', 'ip', `lantern-proxy-lq${net.id}2`, 'service-ips']).stdout.includes(ip), 60_000);
  const body = await srv().until(`the ClusterIP answers on host-2${logs()}`, async () => {
    const r = inHost2(['sh', '-c', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 3 ${ip} 80`]);
    return r.stdout.includes('web-on-host-1') && r.stdout;
  }, 60_000);
  assert.match(body, /web-on-host-1/);
});
