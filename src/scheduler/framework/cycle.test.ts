import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MakeNode, MakePod } from '../testing/builders.js';
import { defaultProfile } from '../profile.js';
import { schedulePod, unavailableMessage, type Decision } from './cycle.js';
import type { FilterPlugin, Profile, ScorePlugin } from './plugin.js';
import { buildSnapshot } from './snapshot.js';
import { success, unschedulable } from './status.js';

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
