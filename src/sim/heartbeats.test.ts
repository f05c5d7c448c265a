import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../api/node.js';
import { withSim } from './testing.js';

const heartbeat = (n: Node): string | undefined => n.status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime;

test('simulated nodes register Ready with the capacity, labels and simulated marker asked for', async () => {
  await withSim({ count: 3 }, async ({ api }) => {
    const nodes = (await api.list<Node>('nodes')).items.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    assert.deepEqual(nodes.map((n) => n.metadata.name), ['sim-0', 'sim-1', 'sim-2']);
    for (const n of nodes) {
      assert.deepEqual(n.status?.capacity, { cpu: '4', memory: '8Gi', pods: '110' });
      assert.deepEqual(n.status?.allocatable, { cpu: '4', memory: '8Gi', pods: '110' });
      assert.equal(n.metadata.labels?.['kubernetes.io/hostname'], n.metadata.name);
      assert.equal(n.metadata.labels?.['kubernetes.io/os'], 'linux');
      assert.equal(n.metadata.labels?.['kubernetes.io/arch'], 'amd64');
      assert.equal(n.metadata.labels?.zone, 'a');
      assert.equal(n.metadata.labels?.['lantern.dev/simulated'], 'true');
      assert.equal(n.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
    }
  });
});

test('heartbeats are spread over the interval, one node at a time, on one timer', async () => {
  await withSim({ count: 4, heartbeatMs: 10_000 }, async ({ api, sim, clock }) => {
    const t0 = new Date(clock.now()).toISOString();
    const beats = async (): Promise<(string | undefined)[]> => Promise.all(sim.names.map(async (n) => heartbeat(await api.get<Node>('nodes', n))));
    assert.deepEqual(await beats(), [t0, t0, t0, t0]);
    assert.equal(clock.armed, 1, 'one timer serves every node');

    clock.advance(2_500);
    await sim.settled();
    const t1 = new Date(clock.now()).toISOString();
    assert.deepEqual(await beats(), [t1, t0, t0, t0], 'only the first quarter of the nodes beat in the first quarter of the interval');

    clock.advance(7_500);
    await sim.settled();
    const b = await beats();
    assert.ok(b.every((t) => t !== t0), 'every node beat within one interval');
    assert.equal(new Set(b).size, 4, 'each at its own moment');

    clock.advance(10_000);
    await sim.settled();
    const again = await beats();
    again.forEach((t, i) => assert.equal(Date.parse(t!) - Date.parse(b[i]!), 10_000, 'each node beats once per interval'));
  });
});

test('a restarted simulator takes over its existing nodes', async () => {
  await withSim({ count: 2 }, async ({ api }) => {
    const { SimulatedNodes } = await import('./simulated-nodes.js');
    const again = new SimulatedNodes({ api, count: 2, namePrefix: 'sim-', heartbeatMs: 10_000, log: () => {}, shape: { cpu: '8', memory: '16Gi', pods: 50, labels: { zone: 'b' }, version: 'test' } });
    await again.start();
    again.stop();
    const n = await api.get<Node>('nodes', 'sim-1');
    assert.equal(n.metadata.labels?.zone, 'b');
    assert.deepEqual(n.status?.capacity, { cpu: '8', memory: '16Gi', pods: '50' });
  });
});
