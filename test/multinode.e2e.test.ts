/**
 * Three machines on one host: a real HTTPS `lanternd server --no-agent` in the host network namespace
 * on a bridge address, and three real `lanternd agent`s, each in its own network namespace with its
 * own address on that bridge, data dir and pod bridge; the server gives each node its pod range. Placement by labels and constraints
 * on real containers; a cut link and a SIGKILLed agent make a node NotReady and evict its pods.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { freeHostPort } from './harness/cli.js';
import { NetnsHosts, type NetnsHost } from './harness/netns-hosts.js';
import type { PodView } from './harness/pods.js';
import { RemoteAgent } from './harness/remote-agent.js';

interface Cond { type: string; status: string; reason?: string }
type Pod = PodView & { status?: { reason?: string } };
interface NodeView { metadata: { labels?: Record<string, string> }; spec?: { podCIDR?: string; taints?: { key: string; effect: string }[] }; status?: { conditions?: Cond[] } }

/** One machine: its namespace, zone, and the agent running in it (made once the server is up). */
interface Agent { host: NetnsHost; name: string; zone: string; agent?: RemoteAgent }

const UNREACHABLE = 'node.lantern.dev/unreachable';

describe('three agents in their own network namespaces: placement, lost links and killed agents', { timeout: 180_000 }, () => {
  const net = new NetnsHosts(3);
  const agents: Agent[] = net.hosts.map((host, i) => ({ host, name: `host-${i + 1}`, zone: i < 2 ? 'east' : 'west' }));
  const [a1, a2, a3] = agents as [Agent, Agent, Agent];
  let server: TestServer | undefined;

  const srv = (): TestServer => { if (!server) throw new Error('server not started'); return server; };
  const logs = (a: Agent): string => `\n--- ${a.name} agent log ---\n${(a.agent?.log ?? '').slice(-3000)}`;
  const node = async (name: string): Promise<NodeView> => (await srv().api<NodeView>('GET', `/api/v1/nodes/${name}`)).body;
  const ready = async (name: string): Promise<string | undefined> => (await node(name)).status?.conditions?.find((c) => c.type === 'Ready')?.status;
  const pod = async (name: string): Promise<Pod | undefined> => {
    const r = await srv().api<Pod>('GET', `/api/v1/namespaces/default/pods/${name}`);
    return r.status === 200 ? r.body : undefined;
  };
  const containerId = (p: PodView | undefined): string => (p?.status?.containerStatuses?.[0]?.containerID ?? '').replace(/^lantern:\/\//, '');
  const runcRoot = (a: Agent): string => path.join(a.agent!.dataDir, 'containers/runc');
  /** runc's view of a container on that machine, asked inside its namespace. */
  const runcState = (a: Agent, id: string): string => {
    const r = spawnSync('ip', ['netns', 'exec', a.host.netns, 'runc', '--root', runcRoot(a), 'state', id], { encoding: 'utf8' });
    return r.status === 0 ? (JSON.parse(r.stdout) as { status: string }).status : 'gone';
  };

  async function createPod(name: string, nodeSelector: Record<string, string>): Promise<void> {
    const r = await srv().api('POST', '/api/v1/namespaces/default/pods', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name },
      spec: { nodeSelector, terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }

  const running = (name: string, a: Agent): Promise<Pod> => srv().until(`pod ${name} Running${logs(a)}`, async () => {
    const p = await pod(name);
    return p?.status?.phase === 'Running' ? p : undefined;
  }, 30_000);

  /** The node goes Unknown with the unreachable taint, and the pod on it is evicted as NodeLost. */
  async function expectLost(a: Agent, podName: string): Promise<void> {
    await srv().until(`node ${a.name} Ready=Unknown`, async () => (await ready(a.name)) === 'Unknown', 30_000);
    const taint = await srv().until(`${a.name} unreachable taint`, async () => (await node(a.name)).spec?.taints?.find((t) => t.key === UNREACHABLE), 30_000);
    assert.equal(taint.effect, 'NoExecute');
    assert.match((await srv().lcctl(['get', 'nodes', a.name])).stdout, new RegExp(`${a.name}\\s+NotReady`));
    const evicted = await srv().until(`pod ${podName} evicted`, async () => {
      const p = await pod(podName);
      return p?.status?.phase === 'Failed' ? p : undefined;
    }, 30_000);
    assert.equal(evicted.status?.reason, 'NodeLost');
  }

  before(async () => {
    net.create();
    const port = await freeHostPort();
    server = new TestServer(['--no-agent', '--listen', `${net.gateway}:${port}`, '--tls-san', net.gateway,
      '--node-monitor-grace', '4s', '--pod-eviction-timeout', '3s'], { https: true });
    await server.start();
    for (const a of agents) {
      a.agent = new RemoteAgent(server, a.name, {
        prefix: net.enter(a.host), bridge: `lp${net.id}${a.host.index}`, waitReady: false,
        args: ['--labels', `zone=${a.zone}`, '--heartbeat-interval', '1s'],
      });
      await a.agent.start();
    }
  });

  after(async () => {
    // Containers, mounts and pod namespaces are named in the host's mount namespace (the agents share
    // it); the pod bridge and its iptables rules live in the agent's namespace and go with it.
    await Promise.all(agents.map((a) => a.agent?.remove()));
    net.destroy();
    await server?.stop();
    const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').filter((l) => agents.some((a) => a.agent && l.includes(a.agent.root)));
    assert.deepEqual([...net.leftovers(), ...mounts], [], 'the test left network namespaces, links or mounts behind');
  });

  test('all three nodes register Ready over the bridge with their zone labels', async () => {
    assert.match(srv().url, new RegExp(`^https://${net.gateway.replace(/\./g, '\\.')}:\\d+$`), 'agents reach the server on the bridge');
    for (const a of agents) {
      await srv().until(`node ${a.name} Ready${logs(a)}`, async () => (await ready(a.name)) === 'True', 60_000);
      assert.equal((await node(a.name)).metadata.labels?.zone, a.zone);
    }
  });

  test('--constraint node.labels.zone==west runs the container on host-3, in its pod range', async () => {
    const r = await srv().lcctl(['run', '-d', '--name', 'west', '--constraint', 'node.labels.zone==west', 'busybox', 'sleep', '3600']);
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}${logs(a3)}`);
    const short = r.stdout.trim();
    assert.match(short, /^[0-9a-f]{12}$/);
    const p = await running('west', a3);
    assert.equal(p.spec.nodeName, 'host-3');
    const ip = p.status?.podIP ?? '';
    const range = (await node('host-3')).spec?.podCIDR ?? '';
    const [base = '', bits = '32'] = range.split('/');
    const toInt = (a: string): number => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
    assert.ok(range && Math.floor(toInt(ip) / 2 ** (32 - Number(bits))) === Math.floor(toInt(base) / 2 ** (32 - Number(bits))), `pod IP ${ip} is not in host-3's ${range}`);
    assert.equal(p.metadata.uid.replace(/-/g, '').slice(0, 12), short, 'lcctl prints the pod uid as the container ID');
    const id = containerId(p);
    const list = net.exec(a3.host, 'runc', ['--root', runcRoot(a3), 'list']);
    assert.match(list, new RegExp(`^${id}\\s+\\d+\\s+running`, 'm'));
    // The pod's address answers inside host-3's namespace, where its bridge is.
    net.exec(a3.host, '/bin/busybox', ['ping', '-c', '1', '-W', '2', ip]);
  });

  test('a pod with nodeSelector zone=east lands on host-1 or host-2', async () => {
    await createPod('east', { zone: 'east' });
    const p = await running('east', a1);
    assert.ok(p.spec.nodeName === 'host-1' || p.spec.nodeName === 'host-2', `east ran on ${p.spec.nodeName}`);
    const a = p.spec.nodeName === 'host-1' ? a1 : a2;
    assert.equal(runcState(a, containerId(p)), 'running');
  });

  test("cutting host-2's link makes it NotReady and evicts its pod; restoring it brings the node back", async () => {
    await createPod('on-2', { 'kubernetes.io/hostname': 'host-2' });
    const id = containerId(await running('on-2', a2));
    net.setLink(a2.host, false);
    await expectLost(a2, 'on-2');
    assert.equal(runcState(a2, id), 'running', 'nobody could stop it: the node is unreachable');
    net.setLink(a2.host, true);
    await srv().until(`node host-2 Ready again${logs(a2)}`, async () => (await ready('host-2')) === 'True', 60_000);
    await srv().until('host-2 taint removed', async () => !(await node('host-2')).spec?.taints?.some((t) => t.key === UNREACHABLE), 30_000);
    await srv().until(`evicted on-2 stopped on host-2${logs(a2)}`, async () => runcState(a2, id) !== 'running', 30_000);
    assert.equal((await pod('on-2'))?.status?.phase, 'Failed');
  });

  test("SIGKILL of host-1's agent makes it NotReady and evicts its pod", async () => {
    await createPod('on-1', { 'kubernetes.io/hostname': 'host-1' });
    await running('on-1', a1);
    await a1.agent!.kill9();
    await expectLost(a1, 'on-1');
    await srv().until('host-3 still Ready', async () => (await ready('host-3')) === 'True', 30_000);
  });
});
