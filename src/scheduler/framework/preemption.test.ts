import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import { defaultProfile } from '../profile.js';
import { MakeNode, MakePod, Sel } from '../testing/builders.js';
import { findPreemption } from './preemption.js';
import { schedulePod } from './cycle.js';
import { buildSnapshot } from './snapshot.js';

const node = (name: string, cpu = '4'): Node => MakeNode().Name(name).Label('kubernetes.io/hostname', name).Capacity({ cpu, memory: '8Gi' }).Obj();
/** A running pod on a node with a priority and a cpu request. */
const running = (name: string, on: string, priority: number, cpu: string, start = '2024-01-01T00:00:00Z'): Pod =>
  MakePod().Name(name).NodeName(on).Priority(priority).StartTime(start).Req({ cpu }).Obj();
const incoming = (priority: number, cpu: string): Pod => MakePod().Name('p').Priority(priority).Req({ cpu }).Obj();

type Want = { node: string; victims: string[] } | undefined;

describe('findPreemption', () => {
  const cases: [string, Node[], Pod[], Pod, Want][] = [
    ['evicts only what is needed, sparing the more important of the lower-priority pods',
      [node('n1')], [running('low', 'n1', 1, '2'), running('mid', 'n1', 5, '2')], incoming(10, '2'), { node: 'n1', victims: ['low'] }],
    // Reprieve from the most important: c (2 cpu) cannot stay, b can, then a cannot. Victims listed most important first.
    ['evicts several pods when one is not enough, sparing the higher priorities first',
      [node('n1')], [running('a', 'n1', 1, '1'), running('b', 'n1', 2, '1'), running('c', 'n1', 3, '2')], incoming(10, '3'), { node: 'n1', victims: ['c', 'a'] }],
    ['never evicts pods of equal or higher priority',
      [node('n1')], [running('same', 'n1', 10, '2'), running('higher', 'n1', 20, '2')], incoming(10, '1'), undefined],
    ['no node where evicting every lower-priority pod would be enough',
      [node('n1')], [running('low', 'n1', 1, '1')], incoming(10, '8'), undefined],
    ['picks the node whose most important victim has the lowest priority',
      [node('n1'), node('n2')], [running('five', 'n1', 5, '4'), running('three', 'n2', 3, '4')], incoming(10, '2'), { node: 'n2', victims: ['three'] }],
    ['then the lowest sum of victim priorities',
      [node('n1'), node('n2')], [running('a3', 'n1', 3, '2'), running('b3', 'n1', 3, '2'), running('c3', 'n2', 3, '2'), running('d1', 'n2', 1, '2')], incoming(10, '4'),
      { node: 'n2', victims: ['c3', 'd1'] }],
    ['with equal highest priorities, fewer victims win (their priority sum is lower)',
      [node('n1'), node('n2')], [running('one', 'n1', 3, '4'), running('x3', 'n2', 3, '2'), running('y1', 'n2', 1, '2')], incoming(10, '4'), { node: 'n1', victims: ['one'] }],
    ['then the node whose highest-priority victims started last (evict the younger pods)',
      [node('n1'), node('n2')], [running('old', 'n1', 3, '4', '2024-01-01T00:00:00Z'), running('young', 'n2', 3, '4', '2024-06-01T00:00:00Z')], incoming(10, '2'),
      { node: 'n2', victims: ['young'] }],
    ['then the first node',
      [node('n1'), node('n2')], [running('a', 'n1', 3, '4'), running('b', 'n2', 3, '4')], incoming(10, '2'), { node: 'n1', victims: ['a'] }],
    ['a node the pod cannot use whatever is evicted (unresolvable: cordoned) is skipped',
      [MakeNode().Name('n1').Capacity({ cpu: '4' }).Unschedulable().Obj(), node('n2')], [running('cheap', 'n1', 0, '4'), running('dear', 'n2', 5, '4')], incoming(10, '2'),
      { node: 'n2', victims: ['dear'] }],
    ['a node where it already fits needs no victims',
      [node('n1'), node('n2')], [running('low', 'n1', 1, '4')], incoming(10, '2'), { node: 'n2', victims: [] }],
    ['anti-affinity: evicting the lower-priority pod it must not share a host with',
      [node('n1', '8')], [MakePod().Name('w').Label('app', 'web').NodeName('n1').Priority(1).Obj()],
      MakePod().Name('p').Label('app', 'web').Priority(10).PodAffinity('podAntiAffinity', { labelSelector: Sel({ app: 'web' }), topologyKey: 'kubernetes.io/hostname' }).Obj(),
      { node: 'n1', victims: ['w'] }],
    ['an existing lower-priority pod whose anti-affinity shuts the pod out is a victim',
      [node('n1', '8')], [MakePod().Name('db').Label('app', 'db').NodeName('n1').Priority(1).PodAffinity('podAntiAffinity', { labelSelector: Sel({ app: 'web' }), topologyKey: 'kubernetes.io/hostname' }).Obj()],
      MakePod().Name('p').Label('app', 'web').Priority(10).Obj(), { node: 'n1', victims: ['db'] }],
    ['topology spread: counts are recomputed as victims leave',
      [node('n1'), node('n2')],
      [MakePod().Name('w1').Label('app', 'web').NodeName('n1').Priority(1).Obj(), MakePod().Name('w2').Label('app', 'web').NodeName('n1').Priority(1).Obj(), running('big', 'n2', 100, '4')],
      MakePod().Name('p').Label('app', 'web').Priority(10).Req({ cpu: '1' }).Spread(1, 'kubernetes.io/hostname', 'DoNotSchedule', Sel({ app: 'web' })).Obj(),
      { node: 'n1', victims: ['w1', 'w2'] }],
  ];
  for (const [what, nodes, pods, pod, want] of cases) {
    test(what, () => {
      const snapshot = buildSnapshot(nodes, pods);
      const before = snapshot.nodes.map((n) => [n.name, n.pods.length, JSON.stringify(n.requested)]);
      const got = findPreemption(pod, snapshot, defaultProfile);
      assert.deepEqual(got && { node: got.node, victims: got.victims.map((v) => v.metadata.name) }, want);
      assert.deepEqual(snapshot.nodes.map((n) => [n.name, n.pods.length, JSON.stringify(n.requested)]), before, 'the snapshot is left as it was');
    });
  }

  test('after the victims are gone the pod schedules on the chosen node', () => {
    const nodes = [node('n1'), node('n2')];
    const pods = [running('five', 'n1', 5, '3'), running('three', 'n2', 3, '3'), running('keep', 'n2', 1, '1')];
    const pod = incoming(10, '2');
    assert.equal(schedulePod(pod, buildSnapshot(nodes, pods), defaultProfile).node, undefined);
    const got = findPreemption(pod, buildSnapshot(nodes, pods), defaultProfile);
    assert.deepEqual(got && [got.node, got.victims.map((v) => v.metadata.name)], ['n2', ['three']]);
    const after = pods.filter((p) => !got!.victims.includes(p));
    assert.equal(schedulePod(pod, buildSnapshot(nodes, after), defaultProfile).node, 'n2');
  });

  test('while lower-priority pods on its nominated node are still terminating, it waits', () => {
    const pods = [running('low', 'n1', 1, '4'), MakePod().Name('leaving').NodeName('n1').Priority(1).Terminating().Obj()];
    const nominated = MakePod().Name('p').Priority(10).Req({ cpu: '2' }).NominatedNodeName('n1').Obj();
    assert.equal(findPreemption(nominated, buildSnapshot([node('n1')], pods), defaultProfile), undefined);
    const fresh = incoming(10, '2');
    assert.equal(findPreemption(fresh, buildSnapshot([node('n1')], pods), defaultProfile)?.node, 'n1');
  });
});
