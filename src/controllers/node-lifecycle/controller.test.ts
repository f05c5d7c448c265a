/**
 * The node lifecycle controller against the in-process API over a real SQLite store, with a clock
 * the test moves by hand: no sleeps, every step is one reconcile pass.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openTestApi, type TestApi } from '../../testing/api.js';
import { ManualClock } from '../../testing/clock.js';
import { NodeLifecycleController } from './index.js';
import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import type { Toleration } from '../../api/schema/pod.js';

let t: TestApi;
let api: TestApi['api'];
const t0 = Date.parse('2026-01-01T00:00:00Z');
/** Each test starts its own clock at t0. */
let clock = new ManualClock(t0);
/** Move the clock forward to the time ms. */
const moveTo = (ms: number): void => clock.advance(ms - clock.now());
const at = (s: number): string => new Date(t0 + s * 1000).toISOString();

before(async () => {
  t = await openTestApi({ prefix: 'lantern-nlc-' });
  api = t.api;
});
after(() => t.close());

async function heartbeat(name: string, seconds: number): Promise<void> {
  const node = await api.get<Node>('nodes', name);
  const prev = node.status?.conditions?.find((c) => c.type === 'Ready');
  const ready = { type: 'Ready', status: 'True' as const, reason: 'AgentReady', lastHeartbeatTime: at(seconds), lastTransitionTime: prev?.status === 'True' ? prev.lastTransitionTime : at(seconds) };
  await api.updateStatus('nodes', { ...node, status: { ...node.status, conditions: [ready] } });
}

async function runningPod(name: string, node: string, tolerations?: Toleration[]): Promise<void> {
  await api.create<Pod>('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'main', image: 'busybox' }], ...(tolerations ? { tolerations } : {}) } });
  await api.bind('default', name, node);
  const bound = await api.get<Pod>('pods', name, 'default');
  await api.updateStatus('pods', { ...bound, status: { ...bound.status, phase: 'Running', containerStatuses: [{ name: 'main', ready: true, restartCount: 0, image: 'busybox', state: { running: { startedAt: at(0) } } }] } });
}

const ready = async (name: string): Promise<string | undefined> => (await api.get<Node>('nodes', name)).status?.conditions?.find((c) => c.type === 'Ready')?.status;
const taints = async (name: string): Promise<string[]> => ((await api.get<Node>('nodes', name)).spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`);
const phase = async (name: string): Promise<string> => {
  const p = await api.get<Pod>('pods', name, 'default');
  return `${p.status?.phase ?? ''}/${p.status?.reason ?? ''}`;
};

test('a node whose heartbeats stop is marked Unknown and tainted, its pods are evicted per their tolerations, and returning heartbeats clear the taint', async () => {
  clock = new ManualClock(t0);
  const controller = new NodeLifecycleController({ api, clock, nodeMonitorGraceMs: 40_000, podEvictionTimeoutMs: 300_000, log: () => undefined });
  await api.create<Node>('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'edge-1' } });
  await heartbeat('edge-1', 0);
  await runningPod('plain', 'edge-1');
  await runningPod('patient', 'edge-1', [{ key: 'node.lantern.dev/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 600 }]);
  await runningPod('forever', 'edge-1', [{ key: 'node.lantern.dev/unreachable', operator: 'Exists', effect: 'NoExecute' }]);

  moveTo(t0);
  await controller.reconcileAll();
  // Within the grace nothing changes.
  moveTo(t0 + 40_000);
  await controller.reconcileAll();
  assert.equal(await ready('edge-1'), 'True');
  assert.deepEqual(await taints('edge-1'), []);

  moveTo(t0 + 41_000);
  await controller.reconcileAll();
  const node = await api.get<Node>('nodes', 'edge-1');
  const cond = node.status?.conditions?.find((c) => c.type === 'Ready');
  assert.equal(cond?.status, 'Unknown');
  assert.equal(cond?.reason, 'NodeStatusUnknown');
  assert.equal(cond?.lastHeartbeatTime, at(0), 'the last heartbeat stays visible');
  assert.deepEqual(await taints('edge-1'), ['node.lantern.dev/unreachable:NoExecute']);
  assert.equal(await phase('plain'), 'Running/');

  // Default eviction timeout (300 s) after the taint was added.
  moveTo(t0 + 41_000 + 299_000);
  await controller.reconcileAll();
  assert.equal(await phase('plain'), 'Running/');
  moveTo(t0 + 41_000 + 300_000);
  await controller.reconcileAll();
  const plain = await api.get<Pod>('pods', 'plain', 'default');
  assert.equal(plain.status?.phase, 'Failed');
  assert.equal(plain.status?.reason, 'NodeLost');
  assert.match(plain.status?.message ?? '', /edge-1/);
  assert.equal(plain.status?.containerStatuses?.[0]?.state.terminated?.reason, 'NodeLost');
  assert.equal(await phase('patient'), 'Running/');

  moveTo(t0 + 41_000 + 600_000);
  await controller.reconcileAll();
  assert.equal(await phase('patient'), 'Failed/NodeLost');
  assert.equal(await phase('forever'), 'Running/');

  moveTo(t0 + 10_000_000);
  await controller.reconcileAll();
  assert.equal(await phase('forever'), 'Running/', 'a toleration without tolerationSeconds tolerates for ever');

  // The agent comes back.
  await heartbeat('edge-1', 10_000);
  await controller.reconcileAll();
  assert.equal(await ready('edge-1'), 'True');
  assert.deepEqual(await taints('edge-1'), []);
});

test('Ready=False gives the not-ready taint, and user taints are left alone', async () => {
  clock = new ManualClock(t0);
  const controller = new NodeLifecycleController({ api, clock, log: () => undefined });
  moveTo(t0);
  await api.create<Node>('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'edge-2' }, spec: { taints: [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }] } });
  const node = await api.get<Node>('nodes', 'edge-2');
  await api.updateStatus('nodes', { ...node, status: { conditions: [{ type: 'Ready', status: 'False', reason: 'DiskFull', lastHeartbeatTime: at(0) }] } });
  await controller.reconcile('edge-2');
  assert.deepEqual(await taints('edge-2'), ['gpu:NoSchedule', 'node.lantern.dev/not-ready:NoExecute']);
  const again = await api.get<Node>('nodes', 'edge-2');
  await controller.reconcile('edge-2');
  assert.equal((await api.get<Node>('nodes', 'edge-2')).metadata.resourceVersion, again.metadata.resourceVersion, 'a second pass changes nothing');
});

test('heartbeats are timed on the controller\'s clock: a node with a skewed clock stays Ready while it beats, and a restarted controller gives every node a fresh grace', async () => {
  clock = new ManualClock(t0);
  const controller = new NodeLifecycleController({ api, clock, nodeMonitorGraceMs: 40_000, log: () => undefined });
  moveTo(t0 + 50_000_000);
  await api.create<Node>('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'skewed' } });
  // The agent's clock is a day behind.
  await heartbeat('skewed', -86_400);
  await controller.reconcile('skewed');
  clock.advance(30_000);
  await heartbeat('skewed', -86_370);
  await controller.reconcile('skewed');
  clock.advance(30_000);
  await controller.reconcile('skewed');
  assert.equal(await ready('skewed'), 'True');
  const restarted = new NodeLifecycleController({ api, clock, nodeMonitorGraceMs: 40_000, log: () => undefined });
  clock.advance(30_000);
  await restarted.reconcile('skewed');
  assert.equal(await ready('skewed'), 'True', 'a new controller has not yet waited a grace for this node');
  clock.advance(41_000);
  await restarted.reconcile('skewed');
  assert.equal(await ready('skewed'), 'Unknown');
});

test('the pods of a node that turned Unknown stop being Ready at once (their Services drop them), long before eviction', async () => {
  clock = new ManualClock(t0);
  const controller = new NodeLifecycleController({ api, clock, nodeMonitorGraceMs: 40_000, podEvictionTimeoutMs: 300_000, log: () => undefined });
  await api.create<Node>('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'edge-ready' } });
  await heartbeat('edge-ready', 0);
  await runningPod('served', 'edge-ready');
  const bound = await api.get<Pod>('pods', 'served', 'default');
  await api.updateStatus('pods', { ...bound, status: { ...bound.status, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: at(0) }] } });
  const readyCond = async (): Promise<{ status?: string; reason?: string } | undefined> =>
    (await api.get<Pod>('pods', 'served', 'default')).status?.conditions?.find((c) => c.type === 'Ready');

  moveTo(t0);
  await controller.reconcileAll();
  moveTo(t0 + 40_000);
  await controller.reconcileAll();
  assert.equal((await readyCond())?.status, 'True', 'within the grace the pod stays Ready');

  moveTo(t0 + 41_000);
  await controller.reconcileAll();
  assert.equal(await ready('edge-ready'), 'Unknown');
  const cond = await readyCond();
  assert.equal(cond?.status, 'False');
  assert.equal(cond?.reason, 'NodeNotReady');
  assert.equal(await phase('served'), 'Running/', 'not evicted: only taken out of service');
});
