/**
 * Services across three real agents, each in its own network namespace (NetnsHosts), on the vxlan pod
 * network: three busybox httpd pods, one per node, each answering with its own name, behind a ClusterIP
 * and a NodePort Service. From every node the ClusterIP answers with traffic spread over the pods; the
 * NodePort answers on every node's address; a pod on every node resolves the Service through the
 * cluster DNS and fetches through its short name; a pod turning unready, then a node lost (its agent
 * killed, the server's --node-monitor-grace shortened), leave the endpoints and stop getting traffic;
 * the node back puts its pod back.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { Service } from '../src/api/schema/service.js';
import type { EndpointSlice } from '../src/api/schema/endpoint-slice.js';
import type { Pod } from '../src/api/pod.js';
import { TestServer } from './harness/lanternd.js';
import { Cli, freeHostPort } from './harness/cli.js';
import { NetnsHosts, type NetnsHost } from './harness/netns-hosts.js';
import { RemoteAgent } from './harness/remote-agent.js';

interface List<T> { items: T[] }
interface Machine { host: NetnsHost; name: string; web: string; client: string; agent?: RemoteAgent }

/** How many requests a spread check sends from one place. */
const rounds = 30;
/** The lost-node grace: short so the test is quick, long enough that a loaded machine's heartbeats (every 1 s) keep up. */
const graceS = 8;

describe('Services across three nodes (vxlan): ClusterIP, NodePort, DNS, unready pod, lost node and back', { timeout: 420_000 }, () => {
  const net = new NetnsHosts(3);
  const machines: Machine[] = net.hosts.map((host) => ({ host, name: `sm-${host.index}`, web: `smweb-${host.index}`, client: `smdns-${host.index}` }));
  let server: TestServer | undefined;
  const srv = (): TestServer => { if (!server) throw new Error('server not started'); return server; };
  const logs = (): string => machines.map((m) => `\n--- ${m.name} ---\n${(m.agent?.log ?? '').slice(-1500)}`).join('');
  let clusterIP = '';
  let nodePort = 0;

  /** `rounds` HTTP GETs of url from inside a node's namespace (or from the test host); the pod names that answered, '' for a failure. */
  const fetchMany = (url: string, from?: NetnsHost): string[] => {
    // curl, not busybox wget: Debian's busybox wget segfaults with -T.
    const loop = `for i in $(seq ${rounds}); do curl -s -m 3 ${url} || echo; done`;
    const argv = from ? ['ip', ['netns', 'exec', from.netns, 'sh', '-c', loop]] as const : ['sh', ['-c', loop]] as const;
    const r = spawnSync(argv[0], [...argv[1]], { encoding: 'utf8', timeout: 150_000 });
    return r.stdout.split('\n').slice(0, rounds).map((l) => l.trim());
  };
  const webNames = (): Set<string> => new Set(machines.map((m) => m.web));
  const slices = async (): Promise<EndpointSlice[]> => (await srv().api<List<EndpointSlice>>('GET',
    '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dsmweb')).body.items;
  /** The pods the Service's slices list as ready. */
  const readyEndpoints = async (): Promise<string[]> => (await slices()).flatMap((s) => s.endpoints)
    .filter((e) => e.conditions?.ready !== false).map((e) => e.targetRef?.name ?? '').sort();

  before(async () => {
    net.create();
    const port = await freeHostPort();
    server = new TestServer(['--no-agent', '--listen', `${net.gateway}:${port}`, '--tls-san', net.gateway, '--network-backend', 'vxlan',
      '--node-monitor-grace', `${graceS}s`, '--pod-eviction-timeout', '10m'], { https: true });
    await server.start();
    for (const m of machines) {
      m.agent = new RemoteAgent(server, m.name, { prefix: net.enter(m.host), bridge: `lq${net.id}${m.host.index}`, args: ['--heartbeat-interval', '1s'] });
      await m.agent.start();
    }
    for (const m of machines) {
      const r = await srv().api('POST', '/api/v1/namespaces/default/pods', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: m.web, labels: { app: 'smweb' } },
        spec: { nodeName: m.name, terminationGracePeriodSeconds: 1, containers: [{
          name: 'httpd', image: 'busybox', ports: [{ name: 'http', containerPort: 8080 }],
          command: ['sh', '-c', 'mkdir -p /w && hostname > /w/index.html && touch /tmp/ready && exec httpd -f -p 8080 -h /w'],
          readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 1, timeoutSeconds: 10, failureThreshold: 1 },
        }] },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    const svc = await srv().api<Service>('POST', '/api/v1/namespaces/default/services', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'smweb' },
      spec: { selector: { app: 'smweb' }, ports: [{ port: 80, targetPort: 'http' }] },
    });
    assert.equal(svc.status, 201, JSON.stringify(svc.body));
    clusterIP = svc.body.spec.clusterIP ?? '';
    const np = await srv().api<Service>('POST', '/api/v1/namespaces/default/services', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'smweb-np' },
      spec: { type: 'NodePort', selector: { app: 'smweb' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    assert.equal(np.status, 201, JSON.stringify(np.body));
    nodePort = np.body.spec.ports?.[0]?.nodePort ?? 0;
    await srv().until(`all three pods are ready endpoints${logs()}`, async () => (await readyEndpoints()).join() === machines.map((m) => m.web).join(), 180_000);
  });

  after(async () => {
    await Promise.all(machines.map((m) => m.agent?.remove(m.web, m.client)));
    net.destroy();
    await server?.stop();
    assert.deepEqual(net.leftovers(), [], 'the test left namespaces or links behind');
  });

  test('the Services got a ClusterIP and a NodePort', () => {
    assert.match(clusterIP, /^\d+\.\d+\.\d+\.\d+$/);
    assert.ok(nodePort >= 30000 && nodePort <= 32767, `nodePort ${nodePort}`);
  });

  test('from every node the ClusterIP answers, and the answers come from more than one pod', async () => {
    for (const m of machines) {
      const answers = await srv().until(`${rounds} answers through ${clusterIP} on ${m.name}${logs()}`, async () => {
        const a = fetchMany(`http://${clusterIP}:80/`, m.host);
        return a.every((n) => webNames().has(n)) && a;
      }, 90_000);
      assert.equal(answers.length, rounds);
      assert.ok(new Set(answers).size > 1, `${m.name}: every answer came from ${answers[0]}`);
    }
  });

  test('the NodePort answers on every node\'s address, spread over the pods', async () => {
    for (const m of machines) {
      const url = `http://${m.host.address}:${nodePort}/`;
      const answers = await srv().until(`${rounds} answers from ${url}${logs()}`, async () => {
        const a = fetchMany(url);
        return a.every((n) => webNames().has(n)) && a;
      }, 90_000);
      assert.ok(new Set(answers).size > 1, `${url}: every answer came from ${answers[0]}`);
    }
  });

  test('a pod on every node resolves the Service through the cluster DNS and fetches through its short name', async () => {
    const fqdn = 'smweb.default.svc.cluster.local';
    const script = [
      `for i in $(seq 60); do nslookup ${fqdn} >/tmp/ns 2>&1 && break; sleep 1; done; cat /tmp/ns`,
      'echo ---',
      'for i in $(seq 60); do timeout 5 wget -q -O - http://smweb/ >/tmp/get 2>&1 && break; sleep 1; done; cat /tmp/get',
      'echo ---end',
      'exec sleep 3600',
    ].join('; ');
    for (const m of machines) {
      const r = await srv().api('POST', '/api/v1/namespaces/default/pods', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: m.client },
        spec: { nodeName: m.name, terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', script] }] },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    const cli = new Cli(srv());
    for (const m of machines) {
      const out = await srv().until(`${m.client} printed its lookup and fetch${logs()}`, async () => {
        const l = await cli.run(['logs', m.client]);
        return l.stdout.includes('---end') ? l.stdout : undefined;
      }, 150_000);
      const [lookup = '', fetched = ''] = out.split('---');
      assert.match(lookup, new RegExp(`Name:\\s+${fqdn.replaceAll('.', '\\.')}\\s+Address:\\s+${clusterIP.replaceAll('.', '\\.')}`), `${m.name}:\n${lookup}`);
      assert.ok(webNames().has(fetched.trim()), `${m.name}: a pod's name through http://smweb/, got:\n${fetched}`);
    }
  });

  test('a pod turning unready leaves the EndpointSlice and stops getting traffic from every node', async () => {
    const [m1] = machines as [Machine, Machine, Machine];
    await new Cli(srv()).ok(['exec', m1.web, 'rm', '/tmp/ready']);
    await srv().until(`${m1.web} leaves the ready endpoints${logs()}`, async () => !(await readyEndpoints()).includes(m1.web), 60_000);
    const slice = (await slices()).flatMap((s) => s.endpoints).find((e) => e.targetRef?.name === m1.web);
    assert.ok(!slice || slice.conditions?.ready === false, JSON.stringify(slice));
    for (const m of machines) {
      // Once the node's rules have the change, no answer comes from the unready pod.
      await srv().until(`${m.name} stops sending to ${m1.web}${logs()}`, async () => {
        const a = fetchMany(`http://${clusterIP}:80/`, m.host);
        return a.every((n) => webNames().has(n) && n !== m1.web);
      }, 60_000);
      const again = fetchMany(`http://${clusterIP}:80/`, m.host);
      assert.deepEqual(again.filter((n) => n === m1.web || !webNames().has(n)), [], `${m.name}: ${again.join(',')}`);
    }
  });

  test('a node lost (agent killed) leaves the endpoints within the node grace; the others stop sending to it', async () => {
    const [m1, m2, m3] = machines as [Machine, Machine, Machine];
    await m3.agent!.kill9();
    // Eviction is 10 min away: only the lost node's Ready=Unknown can take its pod out.
    await srv().until(`${m3.web} leaves the ready endpoints after ${graceS}s without heartbeats${logs()}`,
      async () => !(await readyEndpoints()).includes(m3.web), (graceS + 45) * 1000);
    assert.deepEqual(await readyEndpoints(), [m2.web]);
    const pod = (await srv().api<Pod>('GET', `/api/v1/namespaces/default/pods/${m3.web}`)).body;
    assert.notEqual(pod.status?.phase, 'Failed', 'not evicted: taken out of the endpoints only');
    for (const m of [m1, m2]) {
      const answers = await srv().until(`${m.name} sends everything to ${m2.web}${logs()}`, async () => {
        const a = fetchMany(`http://${clusterIP}:80/`, m.host);
        return a.every((n) => n === m2.web) && a;
      }, 60_000);
      assert.equal(answers.length, rounds);
    }
  });

  test('the lost node back (agent started again): its pod is Ready again and back in the endpoints', async () => {
    const m3 = machines[2]!;
    await m3.agent!.start();
    const status = async (): Promise<string> => JSON.stringify((await srv().api<Pod>('GET', `/api/v1/namespaces/default/pods/${m3.web}`)).body.status)
      + JSON.stringify((await srv().api<List<{ reason?: string; message?: string; involvedObject?: { name?: string } }>>('GET', '/api/v1/namespaces/default/events')).body.items
        .filter((e) => e.involvedObject?.name === m3.web).map((e) => `${e.reason ?? ''}: ${e.message ?? ''}`));
    await srv().until(`${m3.web} back among the ready endpoints${logs()}`, async () => (await readyEndpoints()).includes(m3.web), 90_000)
      .catch(async (e: Error) => { throw new Error(`${e.message}\n${m3.web}'s status: ${await status()}`); });
    const pod = (await srv().api<Pod>('GET', `/api/v1/namespaces/default/pods/${m3.web}`)).body;
    assert.equal(pod.status?.phase, 'Running');
  });
});
