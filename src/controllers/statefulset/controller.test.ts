/**
 * The StatefulSet controller against the in-process API (real SQLite store) with a hand-moved clock.
 * The test plays scheduler and kubelet: it binds pods, makes them Running and Ready when it chooses,
 * and finishes pods being deleted. Each step is one reconcile pass.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openTestApi, type TestApi } from '../../testing/api.js';
import { ManualClock } from '../../testing/clock.js';
import { eventually } from '../../testing/eventually.js';
import { StatefulSetController } from './index.js';
import type { Pod } from '../../api/pod.js';
import type { StatefulSet } from '../../api/schema/statefulset.js';
import type { ControllerRevision } from '../../api/schema/controllerrevision.js';
import type { PersistentVolumeClaim } from '../../api/schema/storage.js';
import type { Event } from '../../api/schema/event.js';

let t: TestApi;
let api: TestApi['api'];
const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
let sc: StatefulSetController;

before(async () => {
  t = await openTestApi({ prefix: 'lantern-s4-sts-' });
  api = t.api;
  sc = new StatefulSetController({ api, clock, log: () => undefined });
});
after(() => t.close());

function sts(name: string, replicas: number, extra: Partial<StatefulSet['spec']> = {}, image = 'busybox:1'): StatefulSet {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name, namespace: 'default' },
    spec: { replicas, serviceName: name, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image }] } }, ...extra },
  };
}

const podsOf = async (app: string): Promise<Pod[]> => (await api.list<Pod>('pods', 'default', { labelSelector: `app=${app}` })).items;
const names = async (app: string): Promise<string[]> => (await podsOf(app)).filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name).sort();
const isReady = (p: Pod): boolean => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** The test's scheduler and kubelet: bind every pod, finish deletions, make up to `n` pods Running and Ready. */
async function playNode(app: string, n = Infinity): Promise<void> {
  let made = 0;
  for (const p of await podsOf(app)) {
    if (p.metadata.deletionTimestamp) { await api.delete('pods', p.metadata.name, 'default', { gracePeriodSeconds: 0 }); continue; }
    if (!p.spec.nodeName) await api.bind('default', p.metadata.name, 'node-1');
    if (isReady(p) || made >= n) continue;
    const cur = await api.get<Pod>('pods', p.metadata.name, 'default');
    await api.updateStatus('pods', { ...cur, status: { ...cur.status, phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date(clock.now()).toISOString() }] } });
    made++;
  }
}

/** Reconcile and play the node until nothing changes (or `steps` passes). */
async function settle(name: string, steps = 20): Promise<void> {
  for (let i = 0; i < steps; i++) { await sc.reconcile(`default/${name}`); await playNode(name); }
  await sc.reconcile(`default/${name}`);
}

test('OrderedReady: web-0, then web-1 only once web-0 is Running and Ready; stable hostname and subdomain', async () => {
  await api.create('statefulsets', sts('web', 3));
  await sc.reconcile('default/web');
  assert.deepEqual(await names('web'), ['web-0']);
  await sc.reconcile('default/web');
  assert.deepEqual(await names('web'), ['web-0'], 'web-1 waits for web-0');
  await playNode('web');
  await sc.reconcile('default/web');
  assert.deepEqual(await names('web'), ['web-0', 'web-1']);
  await settle('web');
  assert.deepEqual(await names('web'), ['web-0', 'web-1', 'web-2']);
  const p = await api.get<Pod>('pods', 'web-1', 'default');
  assert.equal(p.spec.hostname, 'web-1');
  assert.equal(p.spec.subdomain, 'web');
  assert.equal(p.metadata.labels?.['statefulset.kubernetes.io/pod-name'], 'web-1');
  const s = await api.get<StatefulSet>('statefulsets', 'web', 'default');
  assert.equal(s.status?.readyReplicas, 3);
  assert.equal(s.status?.currentRevision, s.status?.updateRevision);
  const revs = (await api.list<ControllerRevision>('controllerrevisions', 'default')).items.filter((r) => r.metadata.ownerReferences?.[0]?.uid === s.metadata.uid);
  assert.equal(revs.length, 1);
  assert.equal(revs[0]!.revision, 1);
});

test('a deleted pod comes back with the same name; scaling down removes the highest ordinal first', async () => {
  await api.delete('pods', 'web-1', 'default', { gracePeriodSeconds: 0 });
  await settle('web');
  assert.deepEqual(await names('web'), ['web-0', 'web-1', 'web-2']);
  const s = await api.get<StatefulSet>('statefulsets', 'web', 'default');
  await api.update('statefulsets', { ...s, spec: { ...s.spec, replicas: 1 } });
  await sc.reconcile('default/web');
  assert.deepEqual(await names('web'), ['web-0', 'web-1'], 'one at a time: web-2 first');
  await settle('web');
  assert.deepEqual(await names('web'), ['web-0']);
});

test('RollingUpdate with a partition updates only the ordinals at or above it, highest first', async () => {
  await api.create('statefulsets', sts('db', 3, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }));
  await settle('db');
  const s = await api.get<StatefulSet>('statefulsets', 'db', 'default');
  const before = s.status?.currentRevision;
  await api.update('statefulsets', { ...s, spec: { ...s.spec, template: { ...s.spec.template, spec: { ...s.spec.template.spec, containers: [{ name: 'main', image: 'busybox:2' }] } } } });
  await sc.reconcile('default/db');
  assert.deepEqual(await names('db'), ['db-0', 'db-1'], 'db-2 is replaced first');
  await settle('db');
  const image = async (n: string): Promise<string> => (await api.get<Pod>('pods', n, 'default')).spec.containers[0]!.image;
  assert.deepEqual([await image('db-0'), await image('db-1'), await image('db-2')], ['busybox:1', 'busybox:2', 'busybox:2']);
  const after = await api.get<StatefulSet>('statefulsets', 'db', 'default');
  assert.equal(after.status?.updatedReplicas, 2);
  assert.equal(after.status?.currentRevision, before, 'the rollout is not complete below the partition');
  // A pod below the partition that is deleted comes back at the current revision.
  await api.delete('pods', 'db-0', 'default', { gracePeriodSeconds: 0 });
  await settle('db');
  assert.equal(await image('db-0'), 'busybox:1');
  const fresh = await api.get<StatefulSet>('statefulsets', 'db', 'default');
  await api.update('statefulsets', { ...fresh, spec: { ...fresh.spec, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } } });
  await settle('db');
  assert.equal(await image('db-0'), 'busybox:2');
  const done = await api.get<StatefulSet>('statefulsets', 'db', 'default');
  assert.equal(done.status?.currentRevision, done.status?.updateRevision);
  const revs = (await api.list<ControllerRevision>('controllerrevisions', 'default')).items.filter((r) => r.metadata.ownerReferences?.[0]?.uid === done.metadata.uid);
  assert.deepEqual(revs.map((r) => r.revision).sort(), [1, 2]);
});

test('OnDelete leaves running pods alone until the user deletes them', async () => {
  await api.create('statefulsets', sts('od', 2, { updateStrategy: { type: 'OnDelete' }, podManagementPolicy: 'Parallel' }));
  await settle('od');
  const s = await api.get<StatefulSet>('statefulsets', 'od', 'default');
  await api.update('statefulsets', { ...s, spec: { ...s.spec, template: { ...s.spec.template, spec: { ...s.spec.template.spec, containers: [{ name: 'main', image: 'busybox:2' }] } } } });
  await settle('od');
  const image = async (n: string): Promise<string> => (await api.get<Pod>('pods', n, 'default')).spec.containers[0]!.image;
  assert.deepEqual([await image('od-0'), await image('od-1')], ['busybox:1', 'busybox:1']);
  await api.delete('pods', 'od-1', 'default', { gracePeriodSeconds: 0 });
  await settle('od');
  assert.deepEqual([await image('od-0'), await image('od-1')], ['busybox:1', 'busybox:2']);
});

test('volumeClaimTemplates: one claim per replica made before its pod and kept across rescheduling; whenScaled Delete removes it', async () => {
  const claimTemplate = { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
  await api.create('statefulsets', sts('pg', 2, { volumeClaimTemplates: [claimTemplate], persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' } }));
  await settle('pg');
  const claim = await api.get<PersistentVolumeClaim>('persistentvolumeclaims', 'data-pg-1', 'default');
  const pod = await api.get<Pod>('pods', 'pg-1', 'default');
  assert.deepEqual(pod.spec.volumes?.find((v) => v.name === 'data')?.persistentVolumeClaim, { claimName: 'data-pg-1' });
  await api.delete('pods', 'pg-1', 'default', { gracePeriodSeconds: 0 });
  await settle('pg');
  assert.equal((await api.get<PersistentVolumeClaim>('persistentvolumeclaims', 'data-pg-1', 'default')).metadata.uid, claim.metadata.uid, 'the same claim');
  const s = await api.get<StatefulSet>('statefulsets', 'pg', 'default');
  await api.update('statefulsets', { ...s, spec: { ...s.spec, replicas: 1 } });
  await settle('pg');
  const left = (await api.list<PersistentVolumeClaim>('persistentvolumeclaims', 'default')).items.filter((c) => !c.metadata.deletionTimestamp).map((c) => c.metadata.name);
  assert.ok(left.includes('data-pg-0'));
  assert.ok(!left.includes('data-pg-1'), 'whenScaled: Delete');
});

test('a claim that cannot be made stops the pod and says why in an event', async () => {
  const bad = { metadata: { name: 'data' }, spec: { accessModes: ['EveryoneAtOnce'] } };
  await api.create('statefulsets', sts('bad', 1, { volumeClaimTemplates: [bad] }));
  await sc.reconcile('default/bad');
  assert.deepEqual(await names('bad'), []);
  const events = (await api.list<Event>('events', 'default')).items.filter((e) => e.involvedObject.name === 'bad');
  assert.ok(events.some((e) => e.type === 'Warning' && e.reason === 'FailedCreate' && /data-bad-0/.test(e.message ?? '')), JSON.stringify(events.map((e) => e.message)));
});

test('the API refuses changes to fields Kubernetes keeps fixed, naming the field', async () => {
  const s = await api.get<StatefulSet>('statefulsets', 'web', 'default');
  await assert.rejects(api.update('statefulsets', { ...s, spec: { ...s.spec, serviceName: 'other' } }), /spec\.serviceName/);
  await assert.rejects(api.create('statefulsets', { ...sts('x', 1), spec: { ...sts('x', 1).spec, selector: { matchLabels: { app: 'nope' } } } }), /spec\.template\.metadata\.labels/);
});

test('started: deleting a set with whenDeleted Delete takes its pods, revisions and claims; Retain keeps the claims', async () => {
  const claimTemplate = { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
  await api.create('statefulsets', sts('gone', 1, { volumeClaimTemplates: [claimTemplate], persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' } }));
  await api.create('statefulsets', sts('kept', 1, { volumeClaimTemplates: [claimTemplate] }));
  await settle('gone');
  await settle('kept');
  const started = new StatefulSetController({ api, clock, log: () => undefined });
  const claims = async (): Promise<string[]> => (await api.list<PersistentVolumeClaim>('persistentvolumeclaims', 'default')).items.filter((c) => !c.metadata.deletionTimestamp).map((c) => c.metadata.name);
  try {
    started.start();
    await eventually('started', async () => (await claims()).includes('data-gone-0'));
    const gone = await api.get<StatefulSet>('statefulsets', 'gone', 'default');
    await api.delete('statefulsets', 'gone', 'default');
    await api.delete('statefulsets', 'kept', 'default');
    await eventually('the claim of gone-0 is deleted', async () => !(await claims()).includes('data-gone-0'));
    await eventually('their pods are deleted', async () => (await names('gone')).length === 0 && (await names('kept')).length === 0);
    const revs = (await api.list<ControllerRevision>('controllerrevisions', 'default')).items.filter((r) => r.metadata.ownerReferences?.[0]?.uid === gone.metadata.uid);
    assert.deepEqual(revs, []);
    assert.ok((await claims()).includes('data-kept-0'), 'Retain (the default) keeps the claim');
  } finally {
    started.stop();
  }
});
