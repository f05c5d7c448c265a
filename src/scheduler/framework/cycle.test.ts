import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MakeNode, MakePod } from '../testing/builders.js';
import { buildProfile, defaultProfile } from '../profile.js';
import { decide, numFeasibleNodesToFind, schedulePod, unavailableMessage, type Decision } from './cycle.js';
import { CycleState, StateKey } from './cycle-state.js';
import { defaultNormalizeScore, type FilterPlugin, type NodeScore, type PreFilterPlugin, type Profile, type ScorePlugin } from './plugin.js';
import { buildSnapshot } from './snapshot.js';
import { success, unresolvable, unschedulable } from './status.js';

/** The failure branch of a decision; fails the test when a node was picked. */
function noFit(d: Decision): { message: string; reasons: Record<string, number> } {
  if (d.node !== undefined) assert.fail(`expected no node to fit, got ${d.node}`);
  return d;
}

describe('schedulePod', () => {
  test('picks the feasible node with the best score (least allocated)', () => {
    const nodes = [
      MakeNode().Name('busy').Capacity({ cpu: '4', memory: '8Gi' }).Obj(),
      MakeNode().Name('idle').Capacity({ cpu: '4', memory: '8Gi' }).Obj(),
      MakeNode().Name('small').Capacity({ cpu: '1', memory: '1Gi' }).Obj(),
    ];
    const running = [MakePod().Name('x').NodeName('busy').Req({ cpu: '3', memory: '6Gi' }).Obj()];
    const decision = schedulePod(MakePod().Name('p').Req({ cpu: '1500m', memory: '2Gi' }).Obj(), buildSnapshot(nodes, running), defaultProfile);
    assert.equal(decision.node, 'idle');
    assert.ok('score' in decision && decision.score > 0);
  });

  test('an infeasible node is never picked, however well it would score', () => {
    const nodes = [MakeNode().Name('a').Capacity({ cpu: '64', memory: '64Gi' }).Unschedulable().Obj(), MakeNode().Name('b').Capacity({ cpu: '2', memory: '2Gi' }).Obj()];
    assert.equal(schedulePod(MakePod().Req({ cpu: '1' }).Obj(), buildSnapshot(nodes, []), defaultProfile).node, 'b');
  });

  test('nodeSelector and nodeName narrow the choice', () => {
    const nodes = [MakeNode().Name('a').Capacity({ cpu: '8' }).Obj(), MakeNode().Name('b').Capacity({ cpu: '1' }).Label('gpu', 'yes').Obj()];
    const snap = buildSnapshot(nodes, []);
    assert.equal(schedulePod(MakePod().NodeSelector({ gpu: 'yes' }).Obj(), snap, defaultProfile).node, 'b');
    assert.equal(schedulePod(MakePod().NodeName('b').Obj(), snap, defaultProfile).node, 'b');
  });

  test('equal scores go to the node with the lower name', () => {
    const nodes = ['n3', 'n1', 'n2'].map((n) => MakeNode().Name(n).Capacity({ cpu: '4', memory: '8Gi' }).Obj());
    assert.equal(schedulePod(MakePod().Req({ cpu: '1' }).Obj(), buildSnapshot(nodes, []), defaultProfile).node, 'n1');
  });

  test('score weights multiply each plugin\'s score', () => {
    const prefer = (name: string): ScorePlugin => ({ name: `prefer-${name}`, score: (_p, n) => (n.name === name ? 100 : 0) });
    const profile: Profile = { filters: [], scores: [{ plugin: prefer('a'), weight: 1 }, { plugin: prefer('b'), weight: 3 }] };
    const snap = buildSnapshot([MakeNode().Name('a').Obj(), MakeNode().Name('b').Obj()], []);
    assert.deepEqual(schedulePod(MakePod().Obj(), snap, profile), { node: 'b', score: 300 });
  });

  test('filters run in order and stop at the first failure on each node', () => {
    const calls: string[] = [];
    const filter = (name: string, fails: boolean): FilterPlugin => ({ name, filter: (_p, n) => { calls.push(`${name}@${n.name}`); return fails ? unschedulable(`${name} says no`) : success; } });
    const profile: Profile = { filters: [filter('first', false), filter('second', true), filter('third', false)], scores: [] };
    const decision = noFit(schedulePod(MakePod().Obj(), buildSnapshot([MakeNode().Name('a').Obj()], []), profile));
    assert.deepEqual(calls, ['first@a', 'second@a']);
    assert.deepEqual(decision.reasons, { 'second says no': 1 });
  });

  test('no node fits: reasons counted per node, in Kubernetes\' wording', () => {
    const nodes = [
      MakeNode().Name('cordoned1').Capacity({ cpu: '8', memory: '8Gi' }).Unschedulable().Obj(),
      MakeNode().Name('cordoned2').Capacity({ cpu: '8', memory: '8Gi' }).Unschedulable().Obj(),
      MakeNode().Name('small').Capacity({ cpu: '1', memory: '1Gi' }).Obj(),
    ];
    const decision = noFit(schedulePod(MakePod().Name('p').Req({ cpu: '2', memory: '512Mi' }).Obj(), buildSnapshot(nodes, []), defaultProfile));
    assert.deepEqual(decision.reasons, { 'Insufficient cpu': 1, 'node(s) were unschedulable': 2 });
    assert.equal(decision.message, '0/3 nodes are available: 1 Insufficient cpu, 2 node(s) were unschedulable.');
  });

  test('a node short of two resources counts once for each', () => {
    const nodes = [MakeNode().Name('a').Capacity({ cpu: '1', memory: '1Gi' }).Obj(), MakeNode().Name('b').Capacity({ cpu: '1', memory: '8Gi' }).Obj()];
    const decision = noFit(schedulePod(MakePod().Req({ cpu: '2', memory: '2Gi' }).Obj(), buildSnapshot(nodes, []), defaultProfile));
    assert.deepEqual(decision.reasons, { 'Insufficient cpu': 2, 'Insufficient memory': 1 });
  });

  test('a snapshot with no nodes gives no node', () => {
    const decision = noFit(schedulePod(MakePod().Obj(), buildSnapshot([], []), defaultProfile));
    assert.deepEqual(decision.reasons, {});
  });
});

describe('unavailableMessage', () => {
  const cases: [string, number, Record<string, number>, string][] = [
    ['Kubernetes\' own example', 3, { 'Insufficient memory': 1, 'node(s) were unschedulable': 2 }, '0/3 nodes are available: 1 Insufficient memory, 2 node(s) were unschedulable.'],
    ['one reason', 1, { "node(s) didn't match Pod's node affinity/selector": 1 }, "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector."],
    ['same counts sort by reason', 2, { 'Insufficient memory': 1, 'Insufficient cpu': 1 }, '0/2 nodes are available: 1 Insufficient cpu, 1 Insufficient memory.'],
    // kube-scheduler formats each entry as "<count> <reason>" and then sort.Strings() the entries:
    // a lower count comes first, and upper case sorts before lower case (byte order).
    ['entries sort as "<count> <reason>" strings, as kube-scheduler sorts them', 3, { 'Insufficient cpu': 2, 'node(s) were unschedulable': 1 },
      '0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu.'],
    ['byte order: upper case before lower case', 2, { 'node(s) were unschedulable': 1, 'Too many pods': 1 },
      '0/2 nodes are available: 1 Too many pods, 1 node(s) were unschedulable.'],
  ];
  for (const [what, total, reasons, want] of cases) {
    test(what, () => assert.equal(unavailableMessage(total, reasons), want, `BUG if different: cycle.ts sorts by reason with localeCompare; kube-scheduler's FitError.Error() sorts the formatted "<count> <reason>" strings with sort.Strings`));
  }

  test('no reasons at all', () => {
    assert.equal(unavailableMessage(0, {}), '0/0 nodes are available.');
  });
});

describe('PreFilter, CycleState and score normalisation', () => {
  class Count { constructor(public n: number) {} clone(): Count { return new Count(this.n); } }
  const key = new StateKey<Count>('test/count');

  test('a PreFilter computes once per cycle and the filters read its state', () => {
    let preFilterCalls = 0;
    const pre: PreFilterPlugin & FilterPlugin = {
      name: 'CountPods',
      preFilter: (_p, snap, state) => { preFilterCalls++; state.write(key, new Count(snap.nodes.reduce((s, n) => s + n.pods.length, 0))); return success; },
      filter: (_p, _n, state) => (state.read(key)?.n === 2 ? success : unschedulable('wrong count')),
    };
    const nodes = ['a', 'b', 'c'].map((n) => MakeNode().Name(n).Obj());
    const pods = [MakePod().Name('x').NodeName('a').Obj(), MakePod().Name('y').NodeName('b').Obj()];
    assert.equal(schedulePod(MakePod().Obj(), buildSnapshot(nodes, pods), { preFilters: [pre], filters: [pre], scores: [] }).node, 'a');
    assert.equal(preFilterCalls, 1);
  });

  test('a PreFilter rejection stops the cycle: its reason alone makes the message', () => {
    let filtered = false;
    const profile: Profile = {
      preFilters: [{ name: 'NoWay', preFilter: () => unresolvable('pod has an unbound PersistentVolumeClaim') }],
      filters: [{ name: 'Spy', filter: () => { filtered = true; return success; } }],
      scores: [],
    };
    const decision = noFit(schedulePod(MakePod().Obj(), buildSnapshot([MakeNode().Name('a').Obj(), MakeNode().Name('b').Obj()], []), profile));
    assert.equal(filtered, false);
    assert.equal(decision.message, '0/2 nodes are available: pod has an unbound PersistentVolumeClaim.');
    assert.deepEqual(decision.reasons, { 'pod has an unbound PersistentVolumeClaim': 2 });
  });

  test('CycleState.clone is deep: changing the copy leaves the original', () => {
    const state = new CycleState();
    state.write(key, new Count(1));
    const copy = state.clone();
    copy.read(key)!.n = 5;
    assert.equal(state.read(key)!.n, 1);
  });

  test('each plugin is normalised onto 0..100 before its weight applies', () => {
    // Raw counts in the thousands would swamp the other plugin without normalisation.
    const raw: ScorePlugin = { name: 'Raw', score: (_p, n) => (n.name === 'a' ? 3000 : 1000), normalize: (s: NodeScore[]) => defaultNormalizeScore(s, false) };
    const preferB: ScorePlugin = { name: 'PreferB', score: (_p, n) => (n.name === 'b' ? 100 : 0) };
    const snap = buildSnapshot([MakeNode().Name('a').Obj(), MakeNode().Name('b').Obj()], []);
    assert.deepEqual(schedulePod(MakePod().Obj(), snap, { filters: [], scores: [{ plugin: raw, weight: 1 }, { plugin: preferB, weight: 1 }] }), { node: 'b', score: 133 });
  });

  test('a plugin score outside 0..100 is clamped', () => {
    const wild: ScorePlugin = { name: 'Wild', score: (_p, n) => (n.name === 'a' ? 500 : -50) };
    const snap = buildSnapshot([MakeNode().Name('a').Obj(), MakeNode().Name('b').Obj()], []);
    assert.deepEqual(schedulePod(MakePod().Obj(), snap, { filters: [], scores: [{ plugin: wild, weight: 2 }] }), { node: 'a', score: 200 });
  });

  test('defaultNormalizeScore, as Kubernetes: best 100, integer division, reverse for bad counts', () => {
    const scores = (...n: number[]): NodeScore[] => n.map((score, i) => ({ node: `n${i}`, score }));
    const run = (s: NodeScore[], reverse: boolean): number[] => { defaultNormalizeScore(s, reverse); return s.map((x) => x.score); };
    assert.deepEqual(run(scores(0, 1, 3), false), [0, 33, 100]);
    assert.deepEqual(run(scores(0, 1, 3), true), [100, 67, 0]);
    assert.deepEqual(run(scores(0, 0), false), [0, 0]);
    assert.deepEqual(run(scores(0, 0), true), [100, 100]);
  });
});

describe('messages with the new plugins (default profile)', () => {
  test('taints, affinity and resources are counted together in byte order', () => {
    const nodes = [
      MakeNode().Name('gpu').Capacity({ cpu: '8' }).Taint('nvidia.com/gpu', 'present', 'NoSchedule').Obj(),
      MakeNode().Name('edge').Capacity({ cpu: '8' }).Label('site', 'edge').Obj(),
      MakeNode().Name('small1').Capacity({ cpu: '1' }).Label('site', 'core').Obj(),
      MakeNode().Name('small2').Capacity({ cpu: '1' }).Label('site', 'core').Obj(),
    ];
    const pod = MakePod().Req({ cpu: '2' }).NodeAffinityTerm({ key: 'site', operator: 'In', values: ['core'] }).Obj();
    const decision = noFit(schedulePod(pod, buildSnapshot(nodes, []), defaultProfile));
    assert.equal(decision.message,
      "0/4 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {nvidia.com/gpu: present}, 2 Insufficient cpu.");
  });

  test('pod affinity, anti-affinity and spread reasons', () => {
    const host = 'kubernetes.io/hostname';
    const nodes = ['n1', 'n2', 'n3'].map((n) => MakeNode().Name(n).Label(host, n).Capacity({ cpu: n === 'n3' ? '1' : '4' }).Obj());
    const pods = [MakePod().Name('w1').Label('app', 'web').NodeName('n1').Obj(), MakePod().Name('w2').Label('app', 'web').NodeName('n2').Obj()];
    const two = nodes.slice(0, 2);
    const anti = MakePod().Name('p').Label('app', 'web').PodAffinity('podAntiAffinity', { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: host }).Obj();
    assert.equal(noFit(schedulePod(anti, buildSnapshot(two, pods), defaultProfile)).message, "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules.");
    const affine = MakePod().Name('p').PodAffinity('podAffinity', { labelSelector: { matchLabels: { app: 'db' } }, topologyKey: host }).Obj();
    assert.equal(noFit(schedulePod(affine, buildSnapshot(nodes, pods), defaultProfile)).message, "0/3 nodes are available: 3 node(s) didn't match pod affinity rules.");
    const spread = MakePod().Name('p').Label('app', 'web').Spread(1, host, 'DoNotSchedule', { matchLabels: { app: 'web' } });
    assert.equal(schedulePod(spread.Obj(), buildSnapshot(nodes, pods), defaultProfile).node, 'n3');
    // The only empty host is too small: the others would be two pods ahead of it.
    assert.equal(noFit(schedulePod(spread.Req({ cpu: '2' }).Obj(), buildSnapshot(nodes, pods), defaultProfile)).message,
      "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match pod topology spread constraints.");
  });
});

describe('buildProfile', () => {
  test('MostAllocated packs onto the busier node, LeastAllocated spreads to the idle one', () => {
    const nodes = [MakeNode().Name('busy').Capacity({ cpu: '4', memory: '8Gi' }).Obj(), MakeNode().Name('idle').Capacity({ cpu: '4', memory: '8Gi' }).Obj()];
    const snap = buildSnapshot(nodes, [MakePod().Name('x').NodeName('busy').Req({ cpu: '2', memory: '4Gi' }).Obj()]);
    const pod = MakePod().Req({ cpu: '1', memory: '1Gi' }).Obj();
    assert.equal(schedulePod(pod, snap, buildProfile({ scoringStrategy: 'MostAllocated' })).node, 'busy');
    assert.equal(schedulePod(pod, snap, buildProfile({ scoringStrategy: 'LeastAllocated' })).node, 'idle');
    assert.equal(schedulePod(pod, snap, defaultProfile).node, 'idle');
  });
});

describe('node sampling (percentageOfNodesToScore)', () => {
  test('kube-scheduler\'s adaptive numbers: all of a small cluster, then 50% minus 1% per 125 nodes, at least 5% and 100', () => {
    assert.equal(numFeasibleNodesToFind(50), 50);
    assert.equal(numFeasibleNodesToFind(100), 100);
    assert.equal(numFeasibleNodesToFind(1000), 420);
    assert.equal(numFeasibleNodesToFind(5000), 500);
    assert.equal(numFeasibleNodesToFind(100_000), 5000);
  });

  const many = Array.from({ length: 10 }, (_, i) => MakeNode().Name(`n${i}`).Capacity({ cpu: '4', memory: '8Gi', pods: '110' }).Obj());

  test('stops once enough nodes are feasible, starting where it is told and wrapping round', () => {
    const { decision, processed } = decide(MakePod().Req({ cpu: '1' }).Obj(), buildSnapshot(many, []), defaultProfile, undefined, { limit: 3, start: 8 });
    assert.equal(processed, 3);
    assert.ok(['n8', 'n9', 'n0'].includes(decision.node ?? ''), `picked ${decision.node} outside the sample`);
  });

  test('an unschedulable pod is checked against every node, so its reasons cover the cluster', () => {
    const { decision, processed } = decide(MakePod().Req({ cpu: '64' }).Obj(), buildSnapshot(many, []), defaultProfile, undefined, { limit: 3, start: 4 });
    assert.equal(processed, 10);
    assert.equal(noFit(decision).message, '0/10 nodes are available: 10 Insufficient cpu.');
  });
});

describe('pods nominated by preemption hold their room', () => {
  const nodes = [MakeNode().Name('n1').Capacity({ cpu: '2', memory: '4Gi', pods: '10' }).Obj(), MakeNode().Name('n2').Capacity({ cpu: '1', memory: '4Gi', pods: '10' }).Obj()];
  const preemptor = MakePod().Name('important').Priority(1000).Req({ cpu: '2' }).NominatedNodeName('n1').Obj();

  test('a lower-priority pod does not take the room freed on the nominated node', () => {
    const low = MakePod().Name('low').Priority(0).Req({ cpu: '1500m' }).Obj();
    assert.equal(noFit(schedulePod(low, buildSnapshot(nodes, [preemptor]), defaultProfile)).message, '0/2 nodes are available: 2 Insufficient cpu.');
    const small = MakePod().Name('small').Priority(0).Req({ cpu: '500m' }).Obj();
    assert.equal(schedulePod(small, buildSnapshot(nodes, [preemptor]), defaultProfile).node, 'n2');
  });

  test('a pod of higher priority than the nominated one may take it', () => {
    const higher = MakePod().Name('higher').Priority(2000).Req({ cpu: '1500m' }).Obj();
    assert.equal(schedulePod(higher, buildSnapshot(nodes, [preemptor]), defaultProfile).node, 'n1');
  });

  test('the nominated pod itself fits its node', () => {
    assert.equal(schedulePod(preemptor, buildSnapshot(nodes, [preemptor]), defaultProfile).node, 'n1');
  });
});
