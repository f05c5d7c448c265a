import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../api/node.js';
import { MakeNode, MakePod, Sel } from './testing/builders.js';
import { SchedulerCache, schedulingChanged } from './cache.js';
import { buildSnapshot } from './framework/snapshot.js';
import { labelCountKey } from './framework/node-info.js';

const heartbeat = (n: Node, at: string): Node => ({
  ...n,
  status: { ...n.status, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: at }] },
});

/** What a snapshot says per node: its pods and requested cpu/memory. */
const view = (nodes: readonly { name: string; pods: { metadata: { name: string } }[]; requested: Record<string, number> }[]) =>
  nodes.map((n) => ({ name: n.name, pods: n.pods.map((p) => p.metadata.name).sort(), cpu: n.requested.cpu ?? 0, memory: n.requested.memory ?? 0 }));

describe('SchedulerCache', () => {
  test('kept up to date event by event, it matches a snapshot built from scratch', () => {
    const cache = new SchedulerCache();
    const nodes = ['b', 'a', 'c'].map((n) => MakeNode().Name(n).Capacity({ cpu: '4', memory: '8Gi', pods: '110' }).Obj());
    for (const n of nodes) cache.setNode(n);
    const p1 = MakePod().Name('p1').Req({ cpu: '1', memory: '1Gi' }).NodeName('a').Obj();
    const p2 = MakePod().Name('p2').Req({ cpu: '500m' }).NodeName('b').Obj();
    const p3 = MakePod().Name('p3').Req({ cpu: '2' }).Obj();
    for (const p of [p1, p2, p3]) cache.setPod(p);
    // p2 finishes (no longer holds resources), p3 is bound, p1 is deleted.
    const p2done = MakePod().Name('p2').Req({ cpu: '500m' }).NodeName('b').Phase('Succeeded').Obj();
    const p3bound = MakePod().Name('p3').Req({ cpu: '2' }).NodeName('c').Obj();
    cache.setPod(p2done);
    cache.setPod(p3bound);
    cache.deletePod('default/p1');
    const expected = buildSnapshot(nodes, [p2done, p3bound]);
    assert.deepEqual(view(cache.snapshot().nodes), view(expected.nodes));
    assert.deepEqual(cache.snapshot().nodes.map((n) => n.name), ['a', 'b', 'c']);
  });

  test('a pod bound to a node the cache has not seen yet counts once the node arrives', () => {
    const cache = new SchedulerCache();
    cache.setPod(MakePod().Name('early').Req({ cpu: '1' }).NodeName('late').Obj());
    cache.setNode(MakeNode().Name('late').Capacity({ cpu: '2' }).Obj());
    const [info] = cache.snapshot().nodes;
    assert.equal(info?.requested.cpu, 1000);
    assert.deepEqual(info?.pods.map((p) => p.metadata.name), ['early']);
  });

  test('a heartbeat keeps the node\'s pods and does not count as a change that helps pending pods', () => {
    const cache = new SchedulerCache();
    const node = MakeNode().Name('n').Capacity({ cpu: '2' }).Obj();
    assert.equal(cache.setNode(heartbeat(node, '2024-01-01T00:00:00Z')), true, 'a new node can help');
    cache.setPod(MakePod().Name('p').Req({ cpu: '1' }).NodeName('n').Obj());
    assert.equal(cache.setNode(heartbeat(node, '2024-01-01T00:00:10Z')), false);
    assert.equal(cache.snapshot().nodes[0]?.requested.cpu, 1000);
    assert.equal(cache.setNode(heartbeat(MakeNode().Name('n').Capacity({ cpu: '2' }).Label('zone', 'a').Obj(), '2024-01-01T00:00:20Z')), true, 'a new label can help');
  });

  test('changes the filters read are changes; timestamps are not', () => {
    const base = MakeNode().Name('n').Capacity({ cpu: '2' }).Obj();
    assert.equal(schedulingChanged(base, MakeNode().Name('n').Capacity({ cpu: '4' }).Obj()), true);
    assert.equal(schedulingChanged(base, MakeNode().Name('n').Capacity({ cpu: '2' }).Unschedulable().Obj()), true);
    assert.equal(schedulingChanged(base, MakeNode().Name('n').Capacity({ cpu: '2' }).Taint('k', 'v', 'NoSchedule').Obj()), true);
    assert.equal(schedulingChanged(heartbeat(base, 't1'), { ...heartbeat(base, 't1'), status: { ...base.status, conditions: [{ type: 'Ready', status: 'False' }] } }), true);
    assert.equal(schedulingChanged(heartbeat(base, 't1'), heartbeat(base, 't2')), false);
  });

  test('pods with affinity terms are listed on their node, and nodes by the labels of their pods', () => {
    const cache = new SchedulerCache();
    cache.setNode(MakeNode().Name('n').Obj());
    cache.setPod(MakePod().Name('plain').NodeName('n').Label('app', 'x').Obj());
    cache.setPod(MakePod().Name('anti').NodeName('n').PodAffinity('podAntiAffinity', { labelSelector: Sel({ app: 'x' }), topologyKey: 'zone' }).Obj());
    const [info] = cache.snapshot().nodes;
    assert.deepEqual(info?.podsWithAffinity.map((p) => p.metadata.name), ['anti']);
    assert.deepEqual(info?.podsWithRequiredAntiAffinity.map((p) => p.metadata.name), ['anti']);
    cache.setNode(MakeNode().Name('m').Obj());
    cache.setPod(MakePod().Name('elsewhere').NodeName('m').Label('app', 'y').Obj());
    const nodesWith = (app: string): string[] => [...(cache.snapshot().nodesWithLabel?.(labelCountKey('default', 'app', app)) ?? [])].map((n) => n.name);
    assert.deepEqual([nodesWith('x'), nodesWith('y'), nodesWith('z')], [['n'], ['m'], []], 'only nodes with such pods are listed');
    cache.deletePod('default/anti');
    cache.deletePod('default/plain');
    assert.deepEqual(cache.snapshot().nodes[0]?.podsWithRequiredAntiAffinity, []);
    assert.deepEqual(nodesWith('x'), []);
    cache.deleteNode('m');
    assert.deepEqual(nodesWith('y'), [], 'a node that left is not listed');
  });

  test('pending pods nominated by preemption are listed on their node until bound', () => {
    const cache = new SchedulerCache();
    cache.setNode(MakeNode().Name('n').Obj());
    cache.setPod(MakePod().Name('p').Priority(10).NominatedNodeName('n').Obj());
    assert.deepEqual(cache.snapshot().nominatedPods?.get('n')?.map((p) => p.metadata.name), ['p']);
    cache.setPod(MakePod().Name('p').Priority(10).NominatedNodeName('n').NodeName('n').Obj());
    assert.equal(cache.snapshot().nominatedPods?.get('n'), undefined, 'a bound pod holds real resources, not a nomination');
  });
});
