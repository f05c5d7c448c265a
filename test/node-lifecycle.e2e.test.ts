/**
 * Node lifecycle across real processes: a `lanternd server --no-agent` with short grace and eviction
 * timeouts, and a `lanternd agent` (node edge-1) on the same host with its own data dir, bridge and
 * pod subnet. The agent is SIGKILLed, the node goes Unknown and tainted, its pod is evicted; the
 * agent comes back and stops the evicted pod's container; then cordon, taint, label and drain.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { RemoteAgent } from './harness/remote-agent.js';

interface Cond { type: string; status: string; reason?: string; message?: string }
interface Node { spec?: { unschedulable?: boolean; taints?: { key: string; value?: string; effect: string }[] }; metadata: { labels?: Record<string, string> }; status?: { conditions?: Cond[] } }
interface Pod {
  metadata: { uid: string };
  spec: { nodeName?: string };
  status?: { phase?: string; reason?: string; message?: string; conditions?: Cond[]; containerStatuses?: { containerID?: string; state: { terminated?: { reason?: string } } }[] };
}

describe('node lifecycle: lost node, eviction, return, cordon and drain', { timeout: 240_000 }, () => {
  const server = new TestServer(['--no-agent', '--node-monitor-grace', '3s', '--pod-eviction-timeout', '2s'], { https: true });
  const agent = new RemoteAgent(server, 'edge-1', { args: ['--heartbeat-interval', '1s'] });
  const runcRoot = path.join(agent.dataDir, 'containers/runc');

  const node = async (): Promise<Node> => (await server.api<Node>('GET', '/api/v1/nodes/edge-1')).body;
  const ready = async (): Promise<Cond | undefined> => (await node()).status?.conditions?.find((c) => c.type === 'Ready');
  const pod = async (name: string): Promise<Pod | undefined> => {
    const r = await server.api<Pod>('GET', `/api/v1/namespaces/default/pods/${name}`);
    return r.status === 200 ? r.body : undefined;
  };
  const runcStatus = (id: string): string => {
    const r = spawnSync('runc', ['--root', runcRoot, 'state', id], { encoding: 'utf8' });
    return r.status === 0 ? (JSON.parse(r.stdout) as { status: string }).status : 'gone';
  };
  const log = (): string => `\n--- agent log ---\n${agent.log.slice(-3000)}`;

  async function createPod(name: string, extra: Record<string, unknown> = {}): Promise<void> {
    const r = await server.api('POST', '/api/v1/namespaces/default/pods', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name },
      spec: { nodeSelector: { 'kubernetes.io/hostname': 'edge-1' }, terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }], ...extra },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }

  before(async () => {
    await server.start();
    await agent.start();
  });

  after(async () => {
    const pods = await server.api<{ items: { metadata: { name: string } }[] }>('GET', '/api/v1/namespaces/default/pods').catch(() => undefined);
    await agent.remove(...(pods?.body.items ?? []).map((p) => p.metadata.name));
    await server.stop();
  });

  let lostContainer = '';

  test('a node whose agent dies turns Unknown, gets the unreachable taint, and its pod is evicted (Failed/NodeLost)', async () => {
    await createPod('lost');
    const running = await server.until(`pod lost Running${log()}`, async () => {
      const p = await pod('lost');
      return p?.status?.phase === 'Running' ? p : undefined;
    }, 60_000);
    lostContainer = (running.status?.containerStatuses?.[0]?.containerID ?? '').replace(/^lantern:\/\//, '');
    assert.equal(runcStatus(lostContainer), 'running');

    await agent.kill9();
    const cond = await server.until('node edge-1 Ready=Unknown', async () => {
      const c = await ready();
      return c?.status === 'Unknown' ? c : undefined;
    }, 30_000);
    assert.equal(cond.reason, 'NodeStatusUnknown');
    const taints = await server.until('unreachable taint', async () => (await node()).spec?.taints?.find((t) => t.key === 'node.lantern.dev/unreachable'), 30_000);
    assert.equal(taints.effect, 'NoExecute');
    const get = await server.lcctl(['get', 'nodes', 'edge-1']);
    assert.match(get.stdout, /edge-1\s+NotReady/, 'kubectl shows Ready=Unknown as NotReady');

    const evicted = await server.until('pod lost evicted', async () => {
      const p = await pod('lost');
      return p?.status?.phase === 'Failed' ? p : undefined;
    }, 30_000);
    assert.equal(evicted.status?.reason, 'NodeLost');
    assert.match(evicted.status?.message ?? '', /Node edge-1 which was running pod lost is unresponsive/);
    assert.equal(evicted.status?.containerStatuses?.[0]?.state.terminated?.reason, 'NodeLost');
    // Nobody stopped it yet: the node is unreachable.
    assert.equal(runcStatus(lostContainer), 'running');
  });

  test('when the agent comes back the taint goes, and the evicted pod is stopped and stays stopped', async () => {
    await agent.start();
    await server.until(`node edge-1 Ready again${log()}`, async () => (await ready())?.status === 'True', 60_000);
    await server.until('taint removed', async () => !(await node()).spec?.taints?.some((t) => t.key.startsWith('node.lantern.dev/')), 30_000);
    await server.until(`evicted container stopped${log()}`, async () => runcStatus(lostContainer) === 'stopped', 30_000);
    const p = await pod('lost');
    assert.equal(p?.status?.phase, 'Failed', 'the agent must not report the evicted pod as running again');
    assert.equal(p?.status?.reason, 'NodeLost');
    assert.match(agent.log, /evicted while this node was unreachable/);
    // Gone for good once deleted: finished pods are removed at once.
    assert.equal((await server.api('DELETE', '/api/v1/namespaces/default/pods/lost')).status, 200);
    await server.until('lost pod container removed', async () => runcStatus(lostContainer) === 'gone', 30_000);
  });

  test('cordon keeps a new pod Pending with the Kubernetes message; uncordon lets it run', async () => {
    const c = await server.lcctl(['cordon', 'edge-1']);
    assert.equal(c.code, 0, c.stderr);
    assert.equal(c.stdout, 'node/edge-1 cordoned\n');
    assert.equal((await server.lcctl(['cordon', 'edge-1'])).stdout, 'node/edge-1 already cordoned\n');
    assert.equal((await node()).spec?.unschedulable, true);
    await createPod('held');
    const cond = await server.until('pod held unschedulable', async () => (await pod('held'))?.status?.conditions?.find((x) => x.type === 'PodScheduled' && x.status === 'False'), 30_000);
    assert.match(cond.message ?? '', /node\(s\) were unschedulable/);
    assert.equal((await pod('held'))?.status?.phase, 'Pending');
    const u = await server.lcctl(['uncordon', 'edge-1']);
    assert.equal(u.stdout, 'node/edge-1 uncordoned\n');
    await server.until(`pod held Running${log()}`, async () => (await pod('held'))?.status?.phase === 'Running', 60_000);
  });

  test('taint and label change the node as kubectl does', async () => {
    const t = await server.lcctl(['taint', 'nodes', 'edge-1', 'dedicated=edge:NoSchedule']);
    assert.equal(t.code, 0, t.stderr);
    assert.equal(t.stdout, 'node/edge-1 tainted\n');
    assert.deepEqual((await node()).spec?.taints, [{ key: 'dedicated', value: 'edge', effect: 'NoSchedule' }]);
    const bad = await server.lcctl(['taint', 'nodes', 'edge-1', 'x=y:Sometimes']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /invalid taint effect: Sometimes, unsupported taint effect/);
    assert.equal((await server.lcctl(['taint', 'nodes', 'edge-1', 'dedicated:NoSchedule-'])).stdout, 'node/edge-1 untainted\n');
    assert.deepEqual((await node()).spec?.taints ?? [], []);

    assert.equal((await server.lcctl(['label', 'nodes', 'edge-1', 'zone=north'])).stdout, 'node/edge-1 labeled\n');
    const clash = await server.lcctl(['label', 'nodes', 'edge-1', 'zone=south']);
    assert.equal(clash.code, 1);
    assert.match(clash.stderr, /'zone' already has a value \(north\), and --overwrite is false/);
    assert.equal((await server.lcctl(['label', 'nodes', 'edge-1', 'zone=south', '--overwrite'])).stdout, 'node/edge-1 labeled\n');
    assert.equal((await node()).metadata.labels?.zone, 'south');
    assert.equal((await server.lcctl(['label', 'nodes', 'edge-1', 'zone-'])).stdout, 'node/edge-1 unlabeled\n');
  });

  test('drain cordons the node and evicts its running pod', async () => {
    const held = await pod('held');
    const id = (held?.status?.containerStatuses?.[0]?.containerID ?? '').replace(/^lantern:\/\//, '');
    const refused = await server.lcctl(['drain', 'edge-1']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /cannot delete Pods that declare no controller \(use --force to override\): default\/held/);
    const r = await server.lcctl(['drain', 'edge-1', '--force', '--grace-period', '1', '--timeout', '60s']);
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}${log()}`);
    assert.match(r.stdout, /^node\/edge-1 already cordoned\nevicting pod default\/held\npod\/held evicted\nnode\/edge-1 drained\n$/);
    assert.match(r.stderr, /Warning: deleting Pods that declare no controller: default\/held/);
    assert.equal(await pod('held'), undefined);
    await server.until('held container removed', async () => runcStatus(id) === 'gone', 30_000);
    assert.equal((await node()).spec?.unschedulable, true);
  });
});
