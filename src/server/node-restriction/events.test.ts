import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../api/errors.js';
import type { Pod } from '../../api/pod.js';
import type { Event } from '../../api/schema/event.js';
import { EventRecorder } from '../../client/kit/events.js';
import { NodeRestriction } from './index.js';
import { agentNode, apiError, boundPod, withNodes, type Kit } from './testkit.js';

const event = (name: string, involvedObject: Event['involvedObject'], extra: Partial<Event> = {}): Event => ({
  apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: 'default' }, involvedObject, reason: 'Started', message: 'Started container c', type: 'Normal', count: 1, source: { component: 'kubelet' }, ...extra,
});

async function setUp(kit: Kit): Promise<{ mine: Pod; theirs: Pod }> {
  await kit.as('edge-1').create('nodes', agentNode('edge-1'));
  await kit.as('edge-2').create('nodes', agentNode('edge-2'));
  return { mine: await kit.admin.create('pods', boundPod('mine', 'edge-1')), theirs: await kit.admin.create('pods', boundPod('theirs', 'edge-2')) };
}
const ref = (p: Pod): Event['involvedObject'] => ({ kind: 'Pod', name: p.metadata.name, namespace: 'default', uid: p.metadata.uid ?? '' });

describe('node restriction: Events a node writes', () => {
  test('about its own pods and its own Node, as the agent\'s EventRecorder writes them (repeats bump the count)', () => withNodes(async (kit) => {
    const { mine } = await setUp(kit);
    const recorder = new EventRecorder(kit.as('edge-1'), 'kubelet');
    assert.ok(await recorder.record(mine, 'Warning', 'Unhealthy', 'Liveness probe failed'));
    assert.equal((await recorder.record(mine, 'Warning', 'Unhealthy', 'Liveness probe failed'))?.count, 2);
    await kit.as('edge-1').create('events', event('edge-1.1', { kind: 'Node', name: 'edge-1', namespace: 'default' }));
  }));

  test('never about another node\'s pod, another Node or another kind (Forbidden on involvedObject)', () => withNodes(async (kit) => {
    const { theirs } = await setUp(kit);
    const node = kit.as('edge-1');
    await assert.rejects(node.create('events', event('e1', ref(theirs))), apiError('Forbidden', /not bound to node "edge-1"/, 'involvedObject'));
    await assert.rejects(node.create('events', event('e2', { kind: 'Node', name: 'edge-2' })), apiError('Forbidden', /its own Node/, 'involvedObject'));
    await assert.rejects(node.create('events', event('e3', { kind: 'Secret', name: 'db' })), apiError('Forbidden', /not about a "Secret"/, 'involvedObject'));
    await assert.rejects(node.create('events', event('e4', { kind: 'Pod', name: 'nope', namespace: 'default' })), apiError('Forbidden', /does not exist/, 'involvedObject'));
  }));

  test('with a reason of Kubernetes\' shape and a bounded message', () => withNodes(async (kit) => {
    const { mine } = await setUp(kit);
    const node = kit.as('edge-1');
    await assert.rejects(node.create('events', event('e1', ref(mine), { reason: 'Pulled\n6.6.6.6 pypi.org' })), apiError('Forbidden', /CamelCase word/, 'reason'));
    await assert.rejects(node.create('events', event('e2', ref(mine), { message: 'x'.repeat(4097) })), apiError('Forbidden', /at most 4096 characters/, 'message'));
    await assert.rejects(node.create('events', event('e3', ref(mine), { source: { component: 'kubelet', host: 'edge-2' } })), apiError('Forbidden', undefined, 'source.host'));
  }));

  test('an update may bump an event of its own, not move it to another object', () => withNodes(async (kit) => {
    const { mine, theirs } = await setUp(kit);
    const created = await kit.as('edge-1').create('events', event('e1', ref(mine)));
    await assert.rejects(kit.as('edge-1').update('events', { ...created, involvedObject: ref(theirs) }), apiError('Forbidden', undefined, 'involvedObject'));
    const other = await kit.admin.create('events', event('e2', ref(theirs)));
    await assert.rejects(kit.as('edge-1').update('events', { ...other, count: 5 }), apiError('Forbidden', /not bound to node "edge-1"/));
  }));

  test('a node over its token bucket gets TooManyRequests with Retry-After; other nodes and a refilled bucket go on', async () => {
    let now = 0;
    await withNodes(async (kit) => {
      const { mine, theirs } = await setUp(kit);
      for (let i = 0; i < 3; i++) await kit.as('edge-1').create('events', event(`burst-${i}`, ref(mine)));
      const refused = await kit.as('edge-1').create('events', event('burst-3', ref(mine))).then(() => undefined, (e: unknown) => e);
      assert.ok(refused instanceof ApiError && refused.code === 'TooManyRequests' && refused.status === 429, String(refused));
      assert.equal(refused.details?.retryAfterSeconds, 2, 'one token takes 2 s at 0.5/s');
      await kit.as('edge-2').create('events', event('other-node', ref(theirs)));
      now += 2000;
      await kit.as('edge-1').create('events', event('burst-4', ref(mine)));
      await assert.rejects(kit.as('edge-1').create('events', event('burst-5', ref(mine))), apiError('TooManyRequests'));
    }, new NodeRestriction({ eventQps: 0.5, eventBurst: 3, now: () => now }));
  });

  test('--node-event-qps 0 turns the limit off', () => withNodes(async (kit) => {
    const { mine } = await setUp(kit);
    for (let i = 0; i < 150; i++) await kit.as('edge-1').create('events', event(`e-${i}`, ref(mine)));
  }, new NodeRestriction({ eventQps: 0 })));
});
