// The scheduler process over the in-process API (real SQLite store): preemption through the API,
// nominatedNodeName, and the Events it records. No agent runs, so bound pods stay as created.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../src/api/node.js';
import type { Pod } from '../src/api/pod.js';
import type { Event } from '../src/api/schema/event.js';
import type { PriorityClass } from '../src/api/schema/priority-class.js';
import type { ApiService } from '../src/server/api-service.js';
import { withTestApi } from '../src/testing/api.js';
import { eventually } from '../src/testing/eventually.js';
import { Scheduler } from '../src/scheduler/scheduler.js';
import type { PodGroup } from '../src/api/schema/pod-group.js';
import { GangAnnotations } from '../src/api/annotations.js';

async function withScheduler(fn: (api: ApiService) => Promise<void>): Promise<void> {
  await withTestApi(async ({ api }) => {
    const scheduler = new Scheduler(api);
    try {
      await scheduler.start();
      await fn(api);
    } finally {
      scheduler.stop();
    }
  }, { prefix: 'lantern-sched-wiring-' });
}

async function addNode(api: ApiService, name: string, memory: string): Promise<Node> {
  const n = await api.create<Node>('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } } });
  const allocatable = { cpu: '4', memory, pods: '110' };
  return api.updateStatus<Node>('nodes', { ...n, status: { capacity: allocatable, allocatable } });
}
const pc = (name: string, value: number): PriorityClass => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value });
const pod = (name: string, memory: string, extra: Partial<Pod['spec']> = {}): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name },
  spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { memory } } }], ...extra },
});
const eventsFor = async (api: ApiService, name: string, reason: string): Promise<Event[]> =>
  (await api.list<Event>('events', 'default', { fieldSelector: `involvedObject.name=${name},reason=${reason}` })).items;
const bound = (api: ApiService, name: string) => async (): Promise<Pod | undefined> => {
  const p = await api.get<Pod>('pods', name, 'default');
  return p.spec.nodeName ? p : undefined;
};

describe('scheduler wiring', () => {
  test('a high-priority pod preempts a lower one: graceful delete, nominatedNodeName, Preempted event, then binding', () => withScheduler(async (api) => {
    await addNode(api, 'n1', '1000Mi');
    await api.create('priorityclasses', pc('low', 10));
    await api.create('priorityclasses', pc('high', 1000));
    for (const n of ['low-1', 'low-2']) await api.create('pods', pod(n, '400Mi', { priorityClassName: 'low', terminationGracePeriodSeconds: 7 }));
    for (const n of ['low-1', 'low-2']) await eventually(`${n} bound`, bound(api, n));
    const scheduled = await eventsFor(api, 'low-1', 'Scheduled');
    assert.equal(scheduled[0]?.message, 'Successfully assigned default/low-1 to n1');
    assert.equal(scheduled[0]?.type, 'Normal');

    await api.create('pods', pod('high', '500Mi', { priorityClassName: 'high' }));
    const high = await eventually('nominatedNodeName', async () => {
      const p = await api.get<Pod>('pods', 'high', 'default');
      return p.status?.nominatedNodeName ? p : undefined;
    });
    assert.equal(high.status?.nominatedNodeName, 'n1');
    assert.equal(high.spec.nodeName, undefined);
    const lows = (await api.list<Pod>('pods', 'default')).items.filter((p) => p.metadata.name.startsWith('low-'));
    const victims = lows.filter((p) => p.metadata.deletionTimestamp !== undefined);
    assert.equal(victims.length, 1, 'one low pod is enough to make room');
    const victim = victims[0]!;
    assert.equal(victim.metadata.deletionGracePeriodSeconds, 7, "the victim's own grace period");
    const preempted = await eventually('Preempted event', async () => (await eventsFor(api, victim.metadata.name, 'Preempted'))[0]);
    assert.equal(preempted.message, 'Preempted by default/high on node n1');
    assert.equal(preempted.involvedObject.uid, victim.metadata.uid);
    const failed = await eventsFor(api, 'high', 'FailedScheduling');
    assert.equal(failed[0]?.message, '0/1 nodes are available: 1 Insufficient memory.');

    // The node's agent finishes the victim; that deletion is the event that retries the preemptor.
    await api.delete('pods', victim.metadata.name, 'default', { gracePeriodSeconds: 0 });
    const placed = await eventually('high bound', bound(api, 'high'));
    assert.equal(placed.spec.nodeName, 'n1');
    const ok = await eventually('Scheduled event', async () => (await eventsFor(api, 'high', 'Scheduled'))[0]);
    assert.equal(ok.message, 'Successfully assigned default/high to n1');
    const survivor = lows.find((p) => p !== victim)!;
    assert.equal((await api.get<Pod>('pods', survivor.metadata.name, 'default')).metadata.deletionTimestamp, undefined);
  }));

  test('no preemption for an equal priority: the pod stays pending and nothing is deleted', () => withScheduler(async (api) => {
    await addNode(api, 'n1', '1000Mi');
    await api.create('pods', pod('a', '800Mi'));
    await eventually('a bound', bound(api, 'a'));
    await api.create('pods', pod('b', '800Mi'));
    await eventually('FailedScheduling for b', async () => (await eventsFor(api, 'b', 'FailedScheduling'))[0]);
    const a = await api.get<Pod>('pods', 'a', 'default');
    assert.equal(a.metadata.deletionTimestamp, undefined);
    assert.equal((await api.get<Pod>('pods', 'b', 'default')).status?.nominatedNodeName, undefined);
  }));

  test('a class with preemptionPolicy Never does not preempt', () => withScheduler(async (api) => {
    await addNode(api, 'n1', '1000Mi');
    await api.create('priorityclasses', { ...pc('polite', 1000), preemptionPolicy: 'Never' });
    await api.create('pods', pod('a', '800Mi'));
    await eventually('a bound', bound(api, 'a'));
    await api.create('pods', pod('b', '800Mi', { priorityClassName: 'polite' }));
    await eventually('FailedScheduling for b', async () => (await eventsFor(api, 'b', 'FailedScheduling'))[0]);
    assert.equal((await api.get<Pod>('pods', 'a', 'default')).metadata.deletionTimestamp, undefined);
    assert.deepEqual(await eventsFor(api, 'a', 'Preempted'), []);
  }));

  test('FailedScheduling is a Warning with the cycle message, and a retry bumps its count', () => withScheduler(async (api) => {
    const node = await addNode(api, 'n1', '1000Mi');
    await api.create('pods', pod('stuck', '10Mi', { nodeSelector: { zone: 'nowhere' } }));
    const first = await eventually('FailedScheduling', async () => (await eventsFor(api, 'stuck', 'FailedScheduling'))[0]);
    assert.equal(first.type, 'Warning');
    assert.equal(first.message, "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.");
    assert.equal(first.count, 1);
    assert.equal(first.source?.component, 'default-scheduler');
    // A node change is a cluster event: the pod is tried again and fails the same way.
    await api.update<Node>('nodes', { ...node, metadata: { ...node.metadata, labels: { ...node.metadata.labels, zone: 'elsewhere' } } });
    const bumped = await eventually('count 2', async () => {
      const evs = await eventsFor(api, 'stuck', 'FailedScheduling');
      return evs[0] && (evs[0].count ?? 0) >= 2 ? evs : undefined;
    });
    assert.equal(bumped.length, 1, 'one event, not one per retry');
    assert.ok(Date.parse(bumped[0]!.lastTimestamp ?? '') >= Date.parse(bumped[0]!.firstTimestamp ?? ''));
  }));

  test('a gang is placed all or nothing: it waits whole with the reason, then binds together once it fits', () => withScheduler(async (api) => {
    await addNode(api, 'small', '1Gi');
    await api.create<PodGroup>('podgroups', { apiVersion: 'lantern.dev/v1', kind: 'PodGroup', metadata: { name: 'train', namespace: 'default' }, spec: { minMember: 3 } });
    for (let i = 0; i < 3; i++) {
      const p = pod(`train-${i}`, '512Mi');
      p.metadata.annotations = { [GangAnnotations.group]: 'train' };
      await api.create('pods', p);
    }
    const waiting = await eventually('the gang to be marked unschedulable', async () => {
      const pods = (await api.list<Pod>('pods', 'default')).items;
      const msgs = pods.map((p) => p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False')?.message);
      return msgs.every((m) => m !== undefined) ? { pods, msgs } : undefined;
    });
    assert.ok(waiting.pods.every((p) => !p.spec.nodeName), 'no member holds a node while the gang cannot fit whole');
    assert.match(waiting.msgs[0]!, /pod group default\/train: only 2 of minMember 3 pods fit together; 0\/1 nodes are available: 1 Insufficient memory\./);
    const pending = await eventually('the PodGroup to say why it waits', async () => {
      const s = (await api.get<PodGroup>('podgroups', 'train', 'default')).status;
      return s?.message ? s : undefined;
    });
    assert.deepEqual([pending.phase, pending.scheduled], ['Pending', 0]);
    assert.match(pending.message ?? '', /only 2 of minMember 3 pods fit together/);
    await addNode(api, 'big', '8Gi');
    for (let i = 0; i < 3; i++) await eventually(`train-${i} to be bound`, bound(api, `train-${i}`));
    const placed = await eventually('the PodGroup to be Scheduled', async () => {
      const s = (await api.get<PodGroup>('podgroups', 'train', 'default')).status;
      return s?.phase === 'Scheduled' ? s : undefined;
    });
    assert.deepEqual(placed, { phase: 'Scheduled', scheduled: 3 }, 'the reason to wait is gone once it is placed');
  }));

  test('a gang whose members are created one by one is placed as soon as the last one exists', () => withScheduler(async (api) => {
    await addNode(api, 'roomy', '8Gi');
    await api.create<PodGroup>('podgroups', { apiVersion: 'lantern.dev/v1', kind: 'PodGroup', metadata: { name: 'ring', namespace: 'default' }, spec: { minMember: 3 } });
    for (let i = 0; i < 3; i++) {
      const p = pod(`ring-${i}`, '256Mi');
      p.metadata.annotations = { [GangAnnotations.group]: 'ring' };
      await api.create('pods', p);
      if (i < 2) {
        await new Promise((r) => setTimeout(r, 200));
        assert.equal((await api.get<Pod>('pods', `ring-${i}`, 'default')).spec.nodeName, undefined, 'no member is placed before the gang is complete');
      }
    }
    for (let i = 0; i < 3; i++) await eventually(`ring-${i} to be bound`, bound(api, `ring-${i}`));
  }));
});

