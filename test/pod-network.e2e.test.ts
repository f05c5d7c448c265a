/**
 * One pod network across three real agents, each in its own network namespace (NetnsHosts), on both
 * routed backends: every node gets its own range from the server's cluster CIDR, a pod reaches the
 * pods of the other nodes by IP and the receiver sees the sender pod's own address (no NAT), and a
 * node removed disappears from the others' routes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { TestServer } from './harness/lanternd.js';
import { freeHostPort } from './harness/cli.js';
import { NetnsHosts, type NetnsHost } from './harness/netns-hosts.js';
import { RemoteAgent } from './harness/remote-agent.js';

interface NodeView { metadata: { annotations?: Record<string, string> }; spec?: { podCIDR?: string } }
interface PodView { metadata: { uid: string }; spec: { nodeName?: string }; status?: { phase?: string; podIP?: string } }
interface Machine { host: NetnsHost; name: string; agent?: RemoteAgent; pod?: { ip: string; netns: string }; listener?: { proc: ChildProcess; log: string } }

const toInt = (a: string): number => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
const inCidr = (ip: string, cidr: string): boolean => {
  const [base = '', bits = '32'] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toInt(ip) / size) === Math.floor(toInt(base) / size);
};

for (const backend of ['vxlan', 'host-gw'] as const) {
  describe(`pod network across three nodes, --network-backend ${backend}`, { timeout: 240_000 }, () => {
    const net = new NetnsHosts(3);
    const machines: Machine[] = net.hosts.map((host) => ({ host, name: `pn-${host.index}` }));
    let server: TestServer | undefined;
    const srv = (): TestServer => { if (!server) throw new Error('server not started'); return server; };
    const logs = (): string => machines.map((m) => `\n--- ${m.name} ---\n${(m.agent?.log ?? '').slice(-2000)}`).join('');
    const node = async (name: string): Promise<NodeView> => (await srv().api<NodeView>('GET', `/api/v1/nodes/${name}`)).body;
    const routes = (m: Machine): string => net.exec(m.host, 'ip', ['-4', 'route', 'show', 'proto', '242']);

    before(async () => {
      net.create();
      const port = await freeHostPort();
      server = new TestServer(['--no-agent', '--listen', `${net.gateway}:${port}`, '--tls-san', net.gateway, '--network-backend', backend], { https: true });
      await server.start();
      for (const m of machines) {
        m.agent = new RemoteAgent(server, m.name, { prefix: net.enter(m.host), bridge: `lq${net.id}${m.host.index}`, waitReady: false, args: ['--heartbeat-interval', '1s'] });
        await m.agent.start();
      }
    });

    after(async () => {
      for (const m of machines) m.listener?.proc.kill('SIGKILL');
      await Promise.all(machines.map((m) => m.agent?.remove(`p-${m.host.index}`)));
      net.destroy();
      await server?.stop();
      assert.deepEqual(net.leftovers(), [], 'the test left namespaces or links behind');
    });

    test('each node gets its own range of the cluster CIDR and publishes its address (and VTEP MAC)', async () => {
      const cidrs: string[] = [];
      for (const m of machines) {
        const n = await srv().until(`${m.name} has a podCIDR${logs()}`, async () => {
          const v = await node(m.name);
          return v.spec?.podCIDR && v.metadata.annotations?.['network.lantern.dev/node-ip'] ? v : undefined;
        }, 60_000);
        cidrs.push(n.spec!.podCIDR!);
        assert.ok(inCidr(n.spec!.podCIDR!.split('/')[0]!, srv().subnet), `${n.spec!.podCIDR} inside the cluster CIDR ${srv().subnet}`);
        assert.equal(n.metadata.annotations?.['node.lantern.dev/network-backend'], backend);
        assert.equal(n.metadata.annotations?.['network.lantern.dev/node-ip'], m.host.address);
        if (backend === 'vxlan') assert.match(n.metadata.annotations?.['network.lantern.dev/vtep-mac'] ?? '', /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
      }
      assert.equal(new Set(cidrs).size, 3, cidrs.join(', '));
    });

    test('a pod reaches the pods of the other two nodes by IP, and the receiver sees the sender pod\'s address', async () => {
      for (const m of machines) {
        const name = `p-${m.host.index}`;
        const r = await srv().api('POST', '/api/v1/namespaces/default/pods', {
          apiVersion: 'v1', kind: 'Pod', metadata: { name },
          spec: { nodeSelector: { 'kubernetes.io/hostname': m.name }, terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] },
        });
        assert.equal(r.status, 201, JSON.stringify(r.body));
      }
      for (const m of machines) {
        const p = await srv().until(`p-${m.host.index} Running${logs()}`, async () => {
          const v = (await srv().api<PodView>('GET', `/api/v1/namespaces/default/pods/p-${m.host.index}`)).body;
          return v.status?.phase === 'Running' && v.status.podIP ? v : undefined;
        }, 90_000);
        assert.ok(inCidr(p.status!.podIP!, (await node(m.name)).spec!.podCIDR!), `pod IP ${p.status!.podIP} in ${m.name}'s range`);
        const ns = readdirSync('/var/run/netns').find((f) => f.endsWith(p.metadata.uid));
        assert.ok(ns, `the pod's network namespace for ${p.metadata.uid}`);
        m.pod = { ip: p.status!.podIP!, netns: `/var/run/netns/${ns}` };
        // A listener inside the pod's network namespace that logs each peer's address.
        const proc = spawn('nsenter', [`--net=${m.pod.netns}`, '--', 'socat', '-d', '-d', 'TCP-LISTEN:8080,fork,reuseaddr', 'SYSTEM:echo pong'], { stdio: ['ignore', 'ignore', 'pipe'] });
        m.listener = { proc, log: '' };
        proc.stderr!.on('data', (b: Buffer) => { m.listener!.log += b.toString(); });
      }
      for (const from of machines) {
        for (const to of machines) {
          if (from === to) continue;
          const out = await srv().until(`${from.name} pod -> ${to.name} pod ${to.pod!.ip}${logs()}\n${routes(from)}`, async () => {
            const r = spawnSync('nsenter', [`--net=${from.pod!.netns}`, '--', '/bin/busybox', 'nc', '-w', '3', to.pod!.ip, '8080'], { encoding: 'utf8', input: '', timeout: 10_000 });
            return r.stdout.includes('pong') ? r.stdout : undefined;
          }, 30_000);
          assert.match(out, /pong/);
          // The listener logs each peer; its line may follow the reply by a moment.
          const seen = new RegExp(`accepting connection from AF=2 ${from.pod!.ip.replace(/\./g, '\\.')}:`);
          await srv().until(`${to.name} sees ${from.name}'s pod address ${from.pod!.ip} (no NAT):\n${to.listener!.log}`, async () => seen.test(to.listener!.log), 10_000);
        }
      }
    });

    test('a node removed (agent stopped, Node deleted) leaves the other nodes\' routes', async () => {
      const [m1, , m3] = machines as [Machine, Machine, Machine];
      const gone = (await node(m3.name)).spec!.podCIDR!;
      assert.match(routes(m1), new RegExp(`^${gone.replace(/[./]/g, (c) => `\\${c}`)} via`, 'm'));
      m3.listener?.proc.kill('SIGKILL');
      await m3.agent!.stop();
      assert.equal((await srv().api('DELETE', `/api/v1/nodes/${m3.name}`)).status, 200);
      for (const m of machines.slice(0, 2)) {
        await srv().until(`${gone} gone from ${m.name}'s routes`, async () => !routes(m).includes(gone), 20_000);
        if (backend === 'vxlan') {
          assert.doesNotMatch(net.exec(m.host, 'ip', ['neigh', 'show', 'dev', 'lantern.1']), new RegExp(gone.split('/')[0]!.replace(/\./g, '\\.') + ' '));
        }
      }
      assert.match(routes(m1), /via/, 'the route to the remaining node stays');
    });
  });
}
