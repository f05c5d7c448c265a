/**
 * Gang members on two machines learn each other: a real HTTPS `lanternd server --no-agent` and two
 * real `lanternd agent`s in their own network namespaces (as in multinode.e2e.test.ts), so each agent
 * reads the other node's pod and the PodGroup through the API with its node credential.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TestServer } from './harness/lanternd.js';
import { freeHostPort } from './harness/cli.js';
import { NetnsHosts } from './harness/netns-hosts.js';
import { RemoteAgent } from './harness/remote-agent.js';
import type { Pod } from '../src/api/pod.js';
import type { Node } from '../src/api/node.js';
import { netContains, parseIpNet, type IpNet } from '../src/api/ip.js';

const script = 'echo "gang rank=$RANK world=$WORLD_SIZE master=$MASTER_ADDR"; ping -c1 -W1 "$MASTER_ADDR" 2>&1 | head -1; cat /etc/hosts';

describe('a gang across two agents: each member resolves the other through the API', { timeout: 180_000 }, () => {
  const net = new NetnsHosts(2);
  const agents: RemoteAgent[] = [];
  let server: TestServer | undefined;
  const srv = (): TestServer => { if (!server) throw new Error('server not started'); return server; };
  const logs = (): string => agents.map((a) => `\n--- ${a.name} agent log ---\n${a.log.slice(-2000)}`).join('');
  const pod = async (name: string): Promise<Pod | undefined> => {
    const r = await srv().api<Pod>('GET', `/api/v1/namespaces/default/pods/${name}`);
    return r.status === 200 ? r.body : undefined;
  };

  before(async () => {
    net.create();
    const port = await freeHostPort();
    server = new TestServer(['--no-agent', '--listen', `${net.gateway}:${port}`, '--tls-san', net.gateway], { https: true });
    await server.start();
    for (const host of net.hosts) {
      const a = new RemoteAgent(server, `host-${host.index}`, {
        prefix: net.enter(host), bridge: `lg${net.id}${host.index}`,
        waitReady: false, args: ['--heartbeat-interval', '1s'],
      });
      agents.push(a);
      await a.start();
    }
  });

  after(async () => {
    await Promise.all(agents.map((a) => a.remove()));
    net.destroy();
    await server?.stop();
    const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').filter((l) => agents.some((a) => l.includes(a.root)));
    assert.deepEqual([...net.leftovers(), ...mounts], [], 'the test left network namespaces, links or mounts behind');
  });

  test('PodGroup minMember 2 read by the agents: ranks by name, MASTER_ADDR resolves to the other node\'s pod', async () => {
    for (const a of agents) {
      await srv().until(`node ${a.name} Ready${logs()}`, async () => {
        const n = (await srv().api<{ status?: { conditions?: { type: string; status: string }[] } }>('GET', `/api/v1/nodes/${a.name}`)).body;
        return n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
      }, 60_000);
    }
    const pg = await srv().api('POST', '/apis/lantern.dev/v1/namespaces/default/podgroups', { apiVersion: 'lantern.dev/v1', kind: 'PodGroup', metadata: { name: 'mn' }, spec: { minMember: 2 } });
    assert.equal(pg.status, 201, JSON.stringify(pg.body));
    // A third member bound to a node that never runs it: only the PodGroup's minMember 2 lets the others
    // start (counting members would wait for it forever), so this also proves the agents read the PodGroup.
    for (const [name, node] of [['mn-a', 'host-2'], ['mn-b', 'host-1'], ['mn-z', 'host-9']] as const) {
      const r = await srv().api('POST', '/api/v1/namespaces/default/pods', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name, annotations: { 'scheduling.lantern.dev/group': 'mn' } },
        spec: { nodeName: node, restartPolicy: 'Never', terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', script] }] },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    const done = async (name: string): Promise<Pod> => srv().until(`${name} succeeded${logs()}`, async () => {
      const p = await pod(name);
      return p?.status?.phase === 'Succeeded' ? p : undefined;
    }, 90_000);
    const a = await done('mn-a');
    const b = await done('mn-b');
    const ipA = a.status?.podIP ?? '';
    const ipB = b.status?.podIP ?? '';
    // Each pod's IP comes from the pod range the server gave its node (spec.podCIDR).
    const podRange = async (node: string): Promise<IpNet> => parseIpNet((await srv().api<Node>('GET', `/api/v1/nodes/${node}`)).body.spec?.podCIDR ?? '')!;
    assert.ok(netContains(await podRange('host-2'), ipA) && netContains(await podRange('host-1'), ipB), `pod IPs ${ipA} ${ipB}`);
    for (const [name, rank] of [['mn-a', '0'], ['mn-b', '1']] as const) {
      const r = await srv().lcctl(['logs', name]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^gang rank=${rank} world=2 master=mn-a$`, 'm'));
      assert.match(r.stdout, new RegExp(`^PING mn-a \\(${ipA.replace(/\./g, '\\.')}\\)`, 'm'), `MASTER_ADDR resolves to mn-a's IP on host-2 inside ${name}:\n${r.stdout}`);
      assert.match(r.stdout, new RegExp(`^${ipB.replace(/\./g, '\\.')}\\s+mn-b$`, 'm'));
      assert.doesNotMatch(r.stdout, /mn-z/, 'a member without an address gets no hosts line');
    }
  });
});
