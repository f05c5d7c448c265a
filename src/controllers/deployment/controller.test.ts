/**
 * The ReplicaSet and Deployment controllers against the in-process API over a real SQLite store, with a
 * clock the test moves by hand. The test plays scheduler and agent: it binds pods, makes them Ready
 * when it chooses, and finishes pods being deleted. Every step is one reconcile pass of each controller.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openTestApi, type TestApi } from '../../testing/api.js';
import { ManualClock } from '../../testing/clock.js';
import { ReplicaSetController } from '../replicaset/index.js';
import { DeploymentController } from './index.js';
import type { Pod } from '../../api/pod.js';
import type { Deployment, ReplicaSet } from '../../api/schema/apps.js';
import { ApiError } from '../../api/errors.js';
import type { Event } from '../../api/schema/event.js';

let t: TestApi;
let api: TestApi['api'];
const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
let rsc: ReplicaSetController;
let dc: DeploymentController;

before(async () => {
  t = await openTestApi({ prefix: 'lantern-deploy-' });
  api = t.api;
  rsc = new ReplicaSetController({ api, clock, log: () => undefined });
  dc = new DeploymentController({ api, clock, log: () => undefined });
});
after(() => t.close());

function deployment(name: string, image: string, replicas: number, strategy?: Deployment['spec']['strategy'], extra: Partial<Deployment['spec']> = {}): Deployment {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image }] } }, ...(strategy ? { strategy } : {}), ...extra },
  };
}

const podsOf = async (app: string): Promise<Pod[]> => (await api.list<Pod>('pods', 'default', { labelSelector: `app=${app}` })).items;
const active = (p: Pod): boolean => !p.metadata.deletionTimestamp && p.status?.phase !== 'Failed';
const isReady = (p: Pod): boolean => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** The test's scheduler and agent: bind, finish deletions, and make up to `readyPerStep` pods Ready. */
async function playNode(app: string, readyPerStep: number): Promise<void> {
  let made = 0;
  for (const p of await podsOf(app)) {
    const ns = 'default';
    if (p.metadata.deletionTimestamp) { await api.delete('pods', p.metadata.name, ns, { gracePeriodSeconds: 0 }); continue; }
    if (!p.spec.nodeName) await api.bind(ns, p.metadata.name, 'node-1');
    if (isReady(p) || p.status?.phase === 'Failed' || made >= readyPerStep) continue;
    const cur = await api.get<Pod>('pods', p.metadata.name, ns);
    const now = new Date(clock.now()).toISOString();
    await api.updateStatus('pods', { ...cur, status: { ...cur.status, phase: 'Running', conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'True', lastTransitionTime: now }] } });
    made++;
  }
}

async function reconcileAll(name: string): Promise<void> {
  await dc.reconcile(`default/${name}`);
  for (const rs of (await api.list<ReplicaSet>('replicasets', 'default')).items) await rsc.reconcile(`default/${rs.metadata.name}`);
  await dc.reconcile(`default/${name}`);
}

/** Step until the rollout completes, checking the invariants on the pods after every step. */
async function rollOut(name: string, replicas: number, surge: number, unavailable: number, readyPerStep = 1): Promise<number> {
  let minReady = Infinity;
  for (let step = 0; step < 200; step++) {
    await reconcileAll(name);
    const pods = (await podsOf(name)).filter(active);
    const ready = pods.filter(isReady).length;
    minReady = Math.min(minReady, ready);
    assert.ok(pods.length <= replicas + surge, `step ${step}: ${pods.length} pods > ${replicas} + maxSurge ${surge}`);
    const d = await api.get<Deployment>('deployments', name, 'default');
    if (d.status?.conditions?.some((c) => c.reason === 'NewReplicaSetAvailable')) return minReady;
    await playNode(name, readyPerStep);
    clock.advance(1000);
  }
  assert.fail('rollout did not finish in 200 steps');
}

test('a rolling update replaces every pod while ready >= replicas - maxUnavailable and pods <= replicas + maxSurge; undo rolls back', async () => {
  await api.create('deployments', deployment('web', 'busybox:1', 4, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } }));
  await rollOut('web', 4, 1, 4);
  let d = await api.get<Deployment>('deployments', 'web', 'default');
  assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
  assert.deepEqual([d.status?.replicas, d.status?.updatedReplicas, d.status?.availableReplicas], [4, 4, 4]);
  assert.equal(d.status?.conditions?.find((c) => c.type === 'Available')?.reason, 'MinimumReplicasAvailable');

  d.spec.template.spec.containers[0]!.image = 'busybox:2';
  await api.update('deployments', d);
  const minReady = await rollOut('web', 4, 1, 1);
  assert.ok(minReady >= 3, `ready fell to ${minReady}, below replicas - maxUnavailable = 3`);
  const pods = (await podsOf('web')).filter(active);
  assert.deepEqual(pods.map((p) => p.spec.containers[0]!.image), ['busybox:2', 'busybox:2', 'busybox:2', 'busybox:2']);
  for (const p of pods) {
    assert.match(p.metadata.name, /^web-[a-z0-9]+-[a-z0-9]{5}$/);
    assert.equal(p.metadata.ownerReferences?.[0]?.controller, true);
  }
  const rss = (await api.list<ReplicaSet>('replicasets', 'default')).items;
  assert.equal(rss.length, 2);
  assert.deepEqual(rss.map((r) => [r.metadata.annotations?.['deployment.kubernetes.io/revision'], r.spec.replicas]).sort(), [['1', 0], ['2', 4]]);

  // Undo: the template goes back; the revision 1 ReplicaSet becomes revision 3 and takes the pods back.
  d = await api.get<Deployment>('deployments', 'web', 'default');
  d.spec.template.spec.containers[0]!.image = 'busybox:1';
  await api.update('deployments', d);
  assert.ok(await rollOut('web', 4, 1, 1) >= 3);
  d = await api.get<Deployment>('deployments', 'web', 'default');
  assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
  assert.equal((await api.list<ReplicaSet>('replicasets', 'default')).items.length, 2);
  assert.ok((await podsOf('web')).filter(active).every((p) => p.spec.containers[0]!.image === 'busybox:1'));
  const events = (await api.list<Event>('events', 'default', { fieldSelector: 'involvedObject.kind=Deployment,involvedObject.name=web' })).items;
  assert.ok(events.some((e) => e.reason === 'ScalingReplicaSet' && /^Scaled up replica set web-\w+ to 1 from 0$/.test(e.message ?? '')), events.map((e) => e.message).join('\n'));
  assert.ok(events.some((e) => /^Scaled down replica set web-\w+ to 0 from 1$/.test(e.message ?? '')));
});

test('maxUnavailable 0 never drops a ready pod below replicas, even with one pod made ready per step', async () => {
  await api.create('deployments', deployment('api', 'busybox:1', 5, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } }));
  await rollOut('api', 5, 2, 5, 5);
  const d = await api.get<Deployment>('deployments', 'api', 'default');
  d.spec.template.spec.containers[0]!.image = 'busybox:2';
  await api.update('deployments', d);
  assert.equal(await rollOut('api', 5, 2, 0, 1), 5);
});

test('a Failed pod (evicted from a lost node) is replaced by a new one', async () => {
  await api.create('deployments', deployment('evict', 'busybox:1', 2));
  await rollOut('evict', 2, 1, 2, 2);
  const victim = (await podsOf('evict'))[0]!;
  await api.updateStatus('pods', { ...victim, status: { ...victim.status, phase: 'Failed', reason: 'NodeLost', message: 'node node-1 was lost' } });
  await reconcileAll('evict');
  const pods = await podsOf('evict');
  assert.ok(!pods.some((p) => p.metadata.name === victim.metadata.name), 'the failed pod is removed');
  assert.equal(pods.filter(active).length, 2);
});

test('Recreate scales the old pods to zero, waits for them to be gone, then starts the new ones', async () => {
  await api.create('deployments', deployment('batch', 'busybox:1', 3, { type: 'Recreate' }));
  await rollOut('batch', 3, 0, 3, 3);
  const d = await api.get<Deployment>('deployments', 'batch', 'default');
  d.spec.template.spec.containers[0]!.image = 'busybox:2';
  await api.update('deployments', d);
  await reconcileAll('batch');
  const pods = await podsOf('batch');
  assert.ok(pods.filter(active).length === 0, 'old pods are stopped before any new one exists');
  assert.ok(pods.every((p) => p.spec.containers[0]!.image === 'busybox:1'));
  await rollOut('batch', 3, 0, 3, 3);
  assert.ok((await podsOf('batch')).filter(active).every((p) => p.spec.containers[0]!.image === 'busybox:2'));
});

test('no progress for progressDeadlineSeconds sets Progressing=False ProgressDeadlineExceeded', async () => {
  await api.create('deployments', deployment('stuck', 'busybox:1', 2, undefined, { progressDeadlineSeconds: 60 }));
  await reconcileAll('stuck');
  await playNode('stuck', 0);
  await reconcileAll('stuck');
  clock.advance(61_000);
  await reconcileAll('stuck');
  const d = await api.get<Deployment>('deployments', 'stuck', 'default');
  const prog = d.status?.conditions?.find((c) => c.type === 'Progressing');
  assert.equal(prog?.status, 'False');
  assert.equal(prog?.reason, 'ProgressDeadlineExceeded');
  assert.equal(d.status?.conditions?.find((c) => c.type === 'Available')?.reason, 'MinimumReplicasUnavailable');
});

test('revisionHistoryLimit keeps that many old ReplicaSets; deleting the Deployment removes its ReplicaSets and pods', async () => {
  await api.create('deployments', deployment('hist', 'busybox:1', 1, undefined, { revisionHistoryLimit: 1 }));
  await rollOut('hist', 1, 1, 1, 1);
  for (const tag of ['2', '3', '4']) {
    const d = await api.get<Deployment>('deployments', 'hist', 'default');
    d.spec.template.spec.containers[0]!.image = `busybox:${tag}`;
    await api.update('deployments', d);
    await rollOut('hist', 1, 1, 1, 1);
    await reconcileAll('hist');
  }
  const mine = async (): Promise<ReplicaSet[]> => (await api.list<ReplicaSet>('replicasets', 'default', { labelSelector: 'app=hist' })).items;
  assert.deepEqual((await mine()).map((r) => r.metadata.annotations?.['deployment.kubernetes.io/revision']).sort(), ['3', '4']);

  await api.delete('deployments', 'hist', 'default');
  // Level-triggered: each ReplicaSet sees its owner is gone and goes, taking its pods.
  for (const rs of await mine()) await rsc.reconcile(`default/${rs.metadata.name}`);
  await playNode('hist', 0);
  assert.equal((await mine()).length, 0);
  assert.equal((await podsOf('hist')).length, 0);
});

test('validation names the field: selector must match the template labels, maxSurge and maxUnavailable not both 0', async () => {
  const bad = deployment('bad', 'busybox', 1);
  bad.spec.selector = { matchLabels: { app: 'other' } };
  await assert.rejects(api.create('deployments', bad), (e: unknown) => e instanceof ApiError && /spec\.template\.metadata\.labels/.test(JSON.stringify(e.toBody())));
  const zero = deployment('zero', 'busybox', 1, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } });
  await assert.rejects(api.create('deployments', zero), /maxUnavailable/);
  const d = await api.create<Deployment>('deployments', deployment('defaults', 'busybox', 1));
  assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
  assert.deepEqual([d.spec.revisionHistoryLimit, d.spec.progressDeadlineSeconds], [10, 600]);
});

test('a ReplicaSet on its own: scaling down removes the not-ready pods first; minReadySeconds delays availability', async () => {
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'solo', namespace: 'default' },
    spec: { replicas: 3, minReadySeconds: 10, selector: { matchLabels: { app: 'solo' } }, template: { metadata: { labels: { app: 'solo' } }, spec: { containers: [{ name: 'main', image: 'busybox' }] } } },
  };
  await api.create('replicasets', rs);
  await rsc.reconcile('default/solo');
  assert.equal((await podsOf('solo')).length, 3);
  await playNode('solo', 2);
  await rsc.reconcile('default/solo');
  let status = (await api.get<ReplicaSet>('replicasets', 'solo', 'default')).status;
  assert.deepEqual([status?.replicas, status?.readyReplicas, status?.availableReplicas, status?.fullyLabeledReplicas], [3, 2, 0, 3]);
  clock.advance(10_000);
  await rsc.reconcile('default/solo');
  status = (await api.get<ReplicaSet>('replicasets', 'solo', 'default')).status;
  assert.equal(status?.availableReplicas, 2);

  const stored = await api.get<ReplicaSet>('replicasets', 'solo', 'default');
  await api.update('replicasets', { ...stored, spec: { ...stored.spec, replicas: 2 } });
  await rsc.reconcile('default/solo');
  const left = (await podsOf('solo')).filter(active);
  assert.equal(left.length, 2);
  assert.ok(left.every(isReady), 'the not-ready pod was the one deleted');
  await api.delete('replicasets', 'solo', 'default');
});
