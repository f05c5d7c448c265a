import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../src/api/node.js';
import type { Pod } from '../src/api/pod.js';
import { TestServer, type LanterndProcess } from './harness/lanternd.js';
import { startSim } from './harness/sim.js';

// A real control plane (no agent of its own) with 50 simulated nodes from a real `lanternd sim`.
// 50 joins from one address at once: above the default joins-per-minute limits, so they are lifted.
const server = new TestServer(['--no-agent', '--insecure-http', '--join-rate-limit', '0', '--join-rate-limit-per-client', '0']);
let sim: LanterndProcess | undefined;
const simLog = (): string => sim?.log ?? '';
const NODES = 50;

interface List<T> { items: T[] }
const nodes = async (): Promise<Node[]> => (await server.api<List<Node>>('GET', '/api/v1/nodes')).body.items;
const pods = async (): Promise<Pod[]> => (await server.api<List<Pod>>('GET', '/api/v1/namespaces/default/pods')).body.items;
const heartbeat = (n: Node): string | undefined => n.status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime;
const ready = (n: Node): boolean => n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';

before(async () => {
  await server.start();
  sim = startSim(server.url, server.joinToken, ['--nodes', String(NODES), '--cpu', '4', '--memory', '8Gi',
    '--labels', 'zone=a', '--run-for', '2s', '--heartbeat-interval', '1s']);
});

after(async () => {
  await sim?.kill9();
  await server.stop();
});

test('lanternd sim registers every node Ready, with its capacity and labels', async () => {
  const all = await server.until(`${NODES} simulated nodes Ready (sim log: ${simLog()})`, async () => {
    const ns = await nodes();
    return ns.length === NODES && ns.every(ready) && ns;
  }, 60_000);
  for (const n of all) {
    assert.equal(n.metadata.labels?.['lantern.dev/simulated'], 'true');
    assert.equal(n.metadata.labels?.zone, 'a');
    assert.deepEqual(n.status?.allocatable, { cpu: '4', memory: '8Gi', pods: '110' });
  }
});

test('the real scheduler spreads pods over simulated nodes; they run, then succeed after --run-for', async () => {
  const names = Array.from({ length: 20 }, (_, i) => `work-${i}`);
  for (const name of names) {
    const res = await server.api('POST', '/api/v1/namespaces/default/pods', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name },
      spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '1' } } }] },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
  const seenRunning = new Set<string>();
  const done = await server.until('20 pods Succeeded', async () => {
    const ps = (await pods()).filter((p) => names.includes(p.metadata.name));
    for (const p of ps) if (p.status?.phase === 'Running') seenRunning.add(p.metadata.name);
    return ps.length === 20 && ps.every((p) => p.status?.phase === 'Succeeded') && ps;
  }, 60_000);
  assert.equal(seenRunning.size, 20, 'every pod was reported Running before it succeeded');
  const placed = done.map((p) => p.spec.nodeName ?? '');
  assert.ok(placed.every((n) => /^sim-node-\d+$/.test(n)), `all on simulated nodes: ${placed.join(' ')}`);
  assert.equal(new Set(placed).size, 20, 'LeastAllocated puts at most one 1-cpu pod on each 4-cpu node');
  for (const p of done) {
    const term = p.status?.containerStatuses?.[0]?.state.terminated;
    assert.equal(term?.exitCode, 0);
    assert.equal(term?.reason, 'Completed');
    assert.ok(Date.parse(term!.finishedAt!) - Date.parse(term!.startedAt!) >= 1_900, 'ran for about --run-for');
    assert.match(p.status?.podIP ?? '', /^10\.\d+\.\d+\.\d+$/);
  }
});

test('a pod whose nodeSelector matches no simulated node stays Pending with the scheduler\'s reason', async () => {
  const res = await server.api('POST', '/api/v1/namespaces/default/pods', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'zone-b' },
    spec: { nodeSelector: { zone: 'b' }, containers: [{ name: 'c', image: 'busybox' }] },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const cond = await server.until('zone-b unschedulable', async () => {
    const p = (await server.api<Pod>('GET', '/api/v1/namespaces/default/pods/zone-b')).body;
    return p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  });
  assert.equal(cond.message, `0/${NODES} nodes are available: ${NODES} node(s) didn't match Pod's node affinity/selector.`);
  const p = (await server.api<Pod>('GET', '/api/v1/namespaces/default/pods/zone-b')).body;
  assert.equal(p.status?.phase ?? 'Pending', 'Pending');
  assert.equal(p.spec.nodeName, undefined);
});

test('killing the simulator leaves its nodes\' heartbeats stale', async () => {
  const before = new Map((await nodes()).map((n) => [n.metadata.name, heartbeat(n)]));
  await server.until('heartbeats renewed', async () => (await nodes()).every((n) => heartbeat(n) !== before.get(n.metadata.name)), 15_000);
  await sim!.kill9();
  const last = new Map((await nodes()).map((n) => [n.metadata.name, heartbeat(n)]));
  // Proving an absence needs a wait: three heartbeat intervals (--heartbeat-interval 1s).
  await new Promise((r) => setTimeout(r, 3_000));
  for (const n of await nodes()) assert.equal(heartbeat(n), last.get(n.metadata.name), `${n.metadata.name} beat after the sim died`);
});
