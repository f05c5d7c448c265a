/**
 * Edge autonomy in the node lifecycle controller: a node annotated lantern.dev/autonomy=true keeps its
 * pods bound (not NodeLost) when it goes Unknown; a node without it still has them evicted.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openTestApi, type TestApi } from '../../testing/api.js';
import { ManualClock } from '../../testing/clock.js';
import { NodeLifecycleController } from './index.js';
import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import { AutonomyAnnotation } from '../../api/node-autonomy.js';

let t: TestApi;
const t0 = Date.parse('2026-01-01T00:00:00Z');

before(async () => { t = await openTestApi({ prefix: 'lantern-h3-autonomy-' }); });
after(() => t.close());

async function nodeWithPod(node: string, pod: string, annotations?: Record<string, string>): Promise<void> {
  const api = t.api;
  await api.create<Node>('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: node, ...(annotations ? { annotations } : {}) } });
  const n = await api.get<Node>('nodes', node);
  const at = new Date(t0).toISOString();
  await api.updateStatus('nodes', { ...n, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'AgentReady', lastHeartbeatTime: at, lastTransitionTime: at }] } });
  await api.create<Pod>('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: pod }, spec: { containers: [{ name: 'main', image: 'busybox' }] } });
  await api.bind('default', pod, node);
  const bound = await api.get<Pod>('pods', pod, 'default');
  await api.updateStatus('pods', { ...bound, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'main', ready: true, restartCount: 0, image: 'busybox', state: { running: { startedAt: at } } }] } });
}

const podStatus = async (name: string): Promise<Pod['status']> => (await t.api.get<Pod>('pods', name, 'default')).status;

test('an autonomous node that goes Unknown keeps its pods (not NodeLost); another node\'s pods are evicted', async () => {
  const clock = new ManualClock(t0);
  const controller = new NodeLifecycleController({ api: t.api, clock, nodeMonitorGraceMs: 40_000, podEvictionTimeoutMs: 60_000, log: () => undefined });
  await nodeWithPod('edge-auto', 'kept', { [AutonomyAnnotation]: 'true' });
  await nodeWithPod('edge-plain', 'lost');
  await controller.reconcileAll();
  clock.advance(41_000);
  await controller.reconcileAll(); // both Unknown, tainted unreachable
  clock.advance(61_000);
  await controller.reconcileAll(); // past the eviction timeout
  await controller.reconcileAll();

  const auto = await t.api.get<Node>('nodes', 'edge-auto');
  assert.equal(auto.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'Unknown', 'the autonomous node is still shown as lost');
  assert.ok(auto.spec?.taints?.some((x) => x.key === 'node.lantern.dev/unreachable'), 'and tainted, so nothing new is scheduled there');
  const kept = await podStatus('kept');
  assert.equal(kept?.phase, 'Running');
  assert.notEqual(kept?.reason, 'NodeLost');
  // Its endpoints still drop it: other nodes cannot reach it anyway.
  assert.equal(kept?.conditions?.find((c) => c.type === 'Ready')?.status, 'False');

  const lost = await podStatus('lost');
  assert.equal(lost?.phase, 'Failed');
  assert.equal(lost?.reason, 'NodeLost');
});

test('an admin\'s own NoExecute taint still evicts from an autonomous node; "false" is not autonomous', async () => {
  const clock = new ManualClock(t0);
  const controller = new NodeLifecycleController({ api: t.api, clock, nodeMonitorGraceMs: 40_000, podEvictionTimeoutMs: 60_000, log: () => undefined });
  await nodeWithPod('edge-tainted', 'drained', { [AutonomyAnnotation]: 'true' });
  const n = await t.api.get<Node>('nodes', 'edge-tainted');
  await t.api.update<Node>('nodes', { ...n, spec: { ...n.spec, taints: [{ key: 'maintenance', effect: 'NoExecute' }] } });
  await nodeWithPod('edge-false', 'also-lost', { [AutonomyAnnotation]: 'false' });
  await controller.reconcileAll();
  clock.advance(41_000);
  await controller.reconcileAll();
  clock.advance(61_000);
  await controller.reconcileAll();
  assert.equal((await podStatus('drained'))?.reason, 'NodeLost');
  assert.equal((await podStatus('also-lost'))?.reason, 'NodeLost');
});
