import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import { CycleState } from '../framework/cycle-state.js';
import { NodeInfo } from '../framework/node-info.js';
import { MakeNode, MakePod, Sel, runPlugin, type PodWrapper } from '../testing/builders.js';
import { podTopologySpread } from './pod-topology-spread.js';

const skewReason = { code: 'Unschedulable', reason: "node(s) didn't match pod topology spread constraints" };
const missingLabel = { code: 'UnschedulableAndUnresolvable', reason: "node(s) didn't match pod topology spread constraints (missing required label)" };

const zoned = (name: string, zone?: string): Node => {
  const b = MakeNode().Name(name).Label('kubernetes.io/hostname', name);
  if (zone) b.Label('zone', zone);
  return b.Obj();
};
/** n1, n2 in zone a; n3 in b; n4 in c; n5 without a zone. */
const nodes = [zoned('n1', 'a'), zoned('n2', 'a'), zoned('n3', 'b'), zoned('n4', 'c'), zoned('n5')];
const web = (name: string, node: string): Pod => MakePod().Name(name).Label('app', 'web').NodeName(node).Obj();
/** Two web pods in zone a, one in b, none in c. */
const running = [web('w1', 'n1'), web('w2', 'n2'), web('w3', 'n3')];
const incoming = (): PodWrapper => MakePod().Name('p').Label('app', 'web');

describe('PodTopologySpread filter (DoNotSchedule)', () => {
  const cases: [string, Pod, Pod[], string[]][] = [
    ['maxSkew 1: only the emptiest zone', incoming().Spread(1, 'zone', 'DoNotSchedule', Sel({ app: 'web' })).Obj(), running, ['n4']],
    ['maxSkew 2 allows one more in b', incoming().Spread(2, 'zone', 'DoNotSchedule', Sel({ app: 'web' })).Obj(), running, ['n3', 'n4']],
    ['a pod its own selector does not match adds nothing to its domain', MakePod().Name('p').Label('app', 'db').Spread(1, 'zone', 'DoNotSchedule', Sel({ app: 'web' })).Obj(), running, ['n3', 'n4']],
    ['an empty cluster takes the first pod anywhere with the key', incoming().Spread(1, 'zone', 'DoNotSchedule', Sel({ app: 'web' })).Obj(), [], ['n1', 'n2', 'n3', 'n4']],
    ['terminating pods and pods of other namespaces do not count', incoming().Spread(1, 'zone', 'DoNotSchedule', Sel({ app: 'web' })).Obj(),
      [web('w1', 'n1'), web('w3', 'n3'), MakePod().Name('gone').Label('app', 'web').NodeName('n4').Terminating().Obj(),
        MakePod().Name('elsewhere').Namespace('other').Label('app', 'web').NodeName('n4').Obj()], ['n4']],
    ['per host', incoming().Spread(1, 'kubernetes.io/hostname', 'DoNotSchedule', Sel({ app: 'web' })).Obj(), [web('w1', 'n1'), web('w2', 'n2'), web('w3', 'n3')], ['n4', 'n5']],
    ['every constraint must hold', incoming().Spread(1, 'zone', 'DoNotSchedule', Sel({ app: 'web' })).Spread(1, 'kubernetes.io/hostname', 'DoNotSchedule', Sel({ app: 'web' })).Obj(),
      [web('w1', 'n1'), web('w3', 'n3')], ['n4']],
    ['ScheduleAnyway never rejects', incoming().Spread(1, 'zone', 'ScheduleAnyway', Sel({ app: 'web' })).Obj(), running, ['n1', 'n2', 'n3', 'n4', 'n5']],
  ];
  for (const [what, pod, pods, fits] of cases) test(what, () => assert.deepEqual(runPlugin(podTopologySpread, pod, nodes, pods).feasible, fits));

  test('a node without the topology key is rejected as unresolvable; a skewed one as unschedulable (preemption may help)', () => {
    const run = runPlugin(podTopologySpread, incoming().Spread(1, 'zone', 'DoNotSchedule', Sel({ app: 'web' })).Obj(), nodes, running);
    assert.deepEqual(run.rejected, { n1: skewReason, n2: skewReason, n3: skewReason, n5: missingLabel });
  });

  test('nodes without the key are not domains: they do not pull the global minimum to 0', () => {
    const pod = incoming().Spread(1, 'zone', 'DoNotSchedule', Sel({ app: 'web' })).Obj();
    // a and b hold one pod each; the unlabelled n5 is empty but is no zone.
    assert.deepEqual(runPlugin(podTopologySpread, pod, [zoned('n1', 'a'), zoned('n3', 'b'), zoned('n5')], [web('w1', 'n1'), web('w3', 'n3')]).feasible, ['n1', 'n3']);
  });

  test('only nodes passing the pod\'s node affinity/selector make up the domains', () => {
    // Zone c (empty) is excluded by the pod's nodeSelector-equivalent affinity, so the minimum is b's 1.
    const pod = incoming().Spread(1, 'zone', 'DoNotSchedule', Sel({ app: 'web' })).NodeAffinityTerm({ key: 'zone', operator: 'In', values: ['a', 'b'] }).Obj();
    const run = runPlugin(podTopologySpread, pod, nodes, running);
    assert.ok(run.feasible.includes('n3'), 'zone b is one above the minimum: allowed');
    assert.deepEqual([run.rejected['n1'], run.rejected['n2']], [skewReason, skewReason]);
  });

  test('minDomains: with fewer domains than asked, the global minimum counts as 0', () => {
    const even = [web('w1', 'n1'), web('w3', 'n3'), web('w4', 'n4')];
    const without = incoming().Spread(1, 'zone', 'DoNotSchedule', Sel({ app: 'web' })).Obj();
    assert.deepEqual(runPlugin(podTopologySpread, without, nodes, even).feasible, ['n1', 'n2', 'n3', 'n4']);
    const withMin = incoming().Spread(1, 'zone', 'DoNotSchedule', Sel({ app: 'web' }), 4).Obj();
    assert.deepEqual(runPlugin(podTopologySpread, withMin, nodes, even).feasible, []);
  });

  test('without its PreFilter the filter reports an error instead of guessing', () => {
    const status = podTopologySpread.filter(incoming().Obj(), new NodeInfo(zoned('n1', 'a')), new CycleState());
    assert.equal(status.code, 'Error');
  });
});

describe('PodTopologySpread score (ScheduleAnyway)', () => {
  test('fewer matching pods in the node\'s zone scores higher; nodes without the key score 0', () => {
    const pod = incoming().Spread(1, 'zone', 'ScheduleAnyway', Sel({ app: 'web' })).Obj();
    // Raw: count × ln(3 zones + 2) rounded: a 2×1.61=3, b 2, c 0; normalised 100×(max+min-raw)/max.
    assert.deepEqual(runPlugin(podTopologySpread, pod, nodes, running).scores, { n1: 0, n2: 0, n3: 33, n4: 100, n5: 0 });
  });
  test('no ScheduleAnyway constraint: no preference', () => {
    const pod = incoming().Spread(1, 'zone', 'DoNotSchedule', Sel({ app: 'web' })).Obj();
    assert.deepEqual(runPlugin(podTopologySpread, pod, nodes, []).scores, { n1: 0, n2: 0, n3: 0, n4: 0 });
  });
  test('equal domains: every node scores 100', () => {
    const pod = incoming().Spread(1, 'zone', 'ScheduleAnyway', Sel({ app: 'web' })).Obj();
    assert.deepEqual(runPlugin(podTopologySpread, pod, [zoned('n1', 'a'), zoned('n3', 'b')], [web('w1', 'n1'), web('w3', 'n3')]).scores, { n1: 100, n3: 100 });
  });
});
