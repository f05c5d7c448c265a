/**
 * The DaemonSet controller against the in-process API (real SQLite store) with a hand-moved clock.
 * The test plays scheduler and kubelet: it binds each pod to the node its affinity names, makes pods
 * Running and Ready, and finishes deletions. Each step is one reconcile pass (the controller is not
 * started, so it reads the API rather than informers).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openTestApi, type TestApi } from '../../testing/api.js';
import { ManualClock } from '../../testing/clock.js';
import { eventually } from '../../testing/eventually.js';
import { DaemonSetController } from './index.js';
import { nodeOfPod } from './placement.js';
import type { Pod } from '../../api/pod.js';
import type { Node } from '../../api/node.js';
import type { DaemonSet } from '../../api/schema/daemonset.js';
import type { Event } from '../../api/schema/event.js';

let t: TestApi;
let api: TestApi['api'];
const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
let dc: DaemonSetController;

before(async () => {
  t = await openTestApi({ prefix: 'lantern-s4-ds-' });
  api = t.api;
  dc = new DaemonSetController({ api, clock, log: () => undefined });
  for (const [name, labels] of [['n1', { role: 'edge' }], ['n2', { role: 'edge' }], ['n3', { role: 'core' }]] as const) {
    await api.create<Node>('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { ...labels } } });
  }
});
after(() => t.close());

function ds(name: string, extra: Partial<DaemonSet['spec']> = {}, image = 'busybox:1'): DaemonSet {
  return {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name, namespace: 'default' },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image }] } }, ...extra },
  };
}

const live = async (app: string): Promise<Pod[]> => (await api.list<Pod>('pods', 'default', { labelSelector: `app=${app}` })).items.filter((p) => !p.metadata.deletionTimestamp);
const nodesOf = async (app: string): Promise<string[]> => (await live(app)).map((p) => nodeOfPod(p.spec) ?? '?').sort();
const isReady = (p: Pod): boolean => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** Scheduler and kubelets: bind each pod where its affinity says, finish deletions, make up to n pods Ready. */
async function playNodes(app: string, n = Infinity): Promise<void> {
  let made = 0;
  for (const p of (await api.list<Pod>('pods', 'default', { labelSelector: `app=${app}` })).items) {
    if (p.metadata.deletionTimestamp) { await api.delete('pods', p.metadata.name, 'default', { gracePeriodSeconds: 0 }); continue; }
    if (!p.spec.nodeName) await api.bind('default', p.metadata.name, nodeOfPod(p.spec)!);
    if (isReady(p) || made >= n) continue;
    const cur = await api.get<Pod>('pods', p.metadata.name, 'default');
    await api.updateStatus('pods', { ...cur, status: { ...cur.status, phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date(clock.now()).toISOString() }] } });
    made++;
  }
}

async function settle(name: string, steps = 12): Promise<void> {
  for (let i = 0; i < steps; i++) { await dc.reconcile(`default/${name}`); await playNodes(name); }
  await dc.reconcile(`default/${name}`);
}

test('one pod per matching node, pinned by a required affinity on the node name; status counts them', async () => {
  await api.create('daemonsets', ds('agent', { template: { metadata: { labels: { app: 'agent' } }, spec: { nodeSelector: { role: 'edge' }, containers: [{ name: 'main', image: 'busybox:1' }] } } }));
  await dc.reconcile('default/agent');
  assert.deepEqual(await nodesOf('agent'), ['n1', 'n2']);
  const p = (await live('agent'))[0]!;
  assert.equal(p.spec.nodeName, undefined, 'placed through the scheduler, not bound by the controller');
  assert.ok(p.spec.tolerations?.some((x) => x.key === 'node.kubernetes.io/unschedulable'));
  await settle('agent');
  const s = await api.get<DaemonSet>('daemonsets', 'agent', 'default');
  assert.deepEqual({ ...s.status, observedGeneration: undefined }, {
    currentNumberScheduled: 2, numberMisscheduled: 0, desiredNumberScheduled: 2, numberReady: 2, observedGeneration: undefined,
    updatedNumberScheduled: 2, numberAvailable: 2, numberUnavailable: 0,
  });
  const events = (await api.list<Event>('events', 'default')).items.filter((e) => e.involvedObject.name === 'agent');
  assert.ok(events.some((e) => e.reason === 'SuccessfulCreate'));
});

test('a node that joins gets its pod; a node that stops matching loses it; a tainted node needs a toleration', async () => {
  await api.create<Node>('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n4', labels: { role: 'edge' } } });
  await settle('agent');
  assert.deepEqual(await nodesOf('agent'), ['n1', 'n2', 'n4']);
  const n2 = await api.get<Node>('nodes', 'n2');
  await api.update('nodes', { ...n2, metadata: { ...n2.metadata, labels: { role: 'core' } } });
  await settle('agent');
  assert.deepEqual(await nodesOf('agent'), ['n1', 'n4']);
  const n4 = await api.get<Node>('nodes', 'n4');
  await api.update('nodes', { ...n4, spec: { ...n4.spec, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }] } });
  await settle('agent');
  assert.deepEqual(await nodesOf('agent'), ['n1']);
});

test('RollingUpdate with maxUnavailable 1 replaces one pod at a time, each after the last is Ready', async () => {
  await api.create('daemonsets', ds('logs'));
  await settle('logs');
  assert.deepEqual(await nodesOf('logs'), ['n1', 'n2', 'n3'], 'n4 is tainted now');
  const d = await api.get<DaemonSet>('daemonsets', 'logs', 'default');
  assert.deepEqual(d.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, 'Kubernetes defaults');
  await api.update('daemonsets', { ...d, spec: { ...d.spec, template: { ...d.spec.template, spec: { ...d.spec.template.spec, containers: [{ name: 'main', image: 'busybox:2' }] } } } });
  await dc.reconcile('default/logs');
  assert.equal((await live('logs')).length, 2, 'one old pod deleted');
  await dc.reconcile('default/logs');
  assert.equal((await live('logs')).length, 2, 'no more while one is unavailable');
  await settle('logs');
  const pods = await live('logs');
  assert.equal(pods.length, 3);
  assert.ok(pods.every((p) => p.spec.containers[0]!.image === 'busybox:2'));
  assert.equal((await api.get<DaemonSet>('daemonsets', 'logs', 'default')).status?.updatedNumberScheduled, 3);
});

test('RollingUpdate with maxSurge starts the new pod before the old one goes', async () => {
  await api.create('daemonsets', ds('surge', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } }));
  await settle('surge');
  const d = await api.get<DaemonSet>('daemonsets', 'surge', 'default');
  await api.update('daemonsets', { ...d, spec: { ...d.spec, template: { ...d.spec.template, spec: { ...d.spec.template.spec, containers: [{ name: 'main', image: 'busybox:2' }] } } } });
  await dc.reconcile('default/surge');
  assert.equal((await live('surge')).length, 4, 'one extra pod on one node');
  await settle('surge');
  const pods = await live('surge');
  assert.equal(pods.length, 3);
  assert.ok(pods.every((p) => p.spec.containers[0]!.image === 'busybox:2'));
});

test('a failed daemon pod is replaced after a back-off that doubles, with a Warning event', async () => {
  await api.create('daemonsets', ds('flaky', { template: { metadata: { labels: { app: 'flaky' } }, spec: { nodeSelector: { role: 'core' }, containers: [{ name: 'main', image: 'busybox:1' }] } } }));
  await settle('flaky');
  const all = (await live('flaky')).length;
  assert.equal(all, 2, 'n2 and n3 are core nodes now');
  const fail = async (): Promise<void> => {
    const p = (await live('flaky')).find((x) => nodeOfPod(x.spec) === 'n3');
    await api.updateStatus('pods', { ...p!, status: { ...p!.status, phase: 'Failed', reason: 'Evicted' } });
  };
  await fail();
  await dc.reconcile('default/flaky');
  assert.equal((await live('flaky')).length, all - 1, 'the failed pod is deleted');
  await dc.reconcile('default/flaky');
  assert.equal((await live('flaky')).length, all - 1, 'no new pod during the 1 s back-off');
  clock.advance(1000);
  await dc.reconcile('default/flaky');
  assert.equal((await live('flaky')).length, all, 'a new pod once it ends');
  await playNodes('flaky');
  await fail();
  await dc.reconcile('default/flaky');
  clock.advance(1000);
  await dc.reconcile('default/flaky');
  assert.equal((await live('flaky')).length, all - 1, 'the second back-off is 2 s');
  clock.advance(1000);
  await dc.reconcile('default/flaky');
  assert.equal((await live('flaky')).length, all);
  const events = (await api.list<Event>('events', 'default')).items.filter((e) => e.involvedObject.name === 'flaky');
  assert.ok(events.some((e) => e.type === 'Warning' && e.reason === 'FailedDaemonPod'));
});

test('bad strategies are refused with the field named', async () => {
  await assert.rejects(api.create('daemonsets', ds('bad', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } })), /spec\.updateStrategy\.rollingUpdate\.maxUnavailable/);
  await assert.rejects(api.create('daemonsets', ds('bad2', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '150%' } } })), /must not be greater than 100%/);
});

test('started, it follows the watches: a node that joins gets its pod without anyone calling reconcile', async () => {
  const started = new DaemonSetController({ api, clock, log: () => undefined });
  try {
    started.start();
    await api.create('daemonsets', ds('watched', { template: { metadata: { labels: { app: 'watched' } }, spec: { nodeSelector: { pool: 'w' }, containers: [{ name: 'main', image: 'busybox:1' }] } } }));
    await api.create<Node>('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'w1', labels: { pool: 'w' } } });
    await eventually('a pod for w1', async () => (await nodesOf('watched')).includes('w1'));
    await api.create<Node>('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'w2', labels: { pool: 'w' } } });
    await eventually('a pod for w2', async () => JSON.stringify(await nodesOf('watched')) === JSON.stringify(['w1', 'w2']));
    await api.delete('daemonsets', 'watched', 'default');
    await eventually('its pods go with it', async () => (await live('watched')).length === 0);
  } finally {
    started.stop();
  }
});
