import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeSelectorRequirement, NodeSelectorTerm } from '../../api/schema/pod.js';
import { MakeNode, MakePod, runPlugin } from '../testing/builders.js';
import { nodeAffinity } from './node-affinity.js';

const reason = "node(s) didn't match Pod's node affinity/selector";
const nodes = [
  MakeNode().Name('a').Label('zone', 'z1').Label('disk', 'ssd').Label('cores', '16').Obj(),
  MakeNode().Name('b').Label('zone', 'z2').Label('disk', 'hdd').Label('cores', '4').Obj(),
  MakeNode().Name('c').Label('zone', 'z3').Label('cores', 'many').Obj(),
];
const expr = (key: string, operator: NodeSelectorRequirement['operator'], ...values: string[]): NodeSelectorRequirement =>
  values.length > 0 ? { key, operator, values } : { key, operator };

describe('NodeAffinity filter', () => {
  const cases: [string, NodeSelectorTerm[], Record<string, string> | undefined, string[]][] = [
    ['no affinity and no selector: every node', [], undefined, ['a', 'b', 'c']],
    ['In', [{ matchExpressions: [expr('zone', 'In', 'z1', 'z3')] }], undefined, ['a', 'c']],
    ['NotIn also matches nodes without the label', [{ matchExpressions: [expr('disk', 'NotIn', 'ssd')] }], undefined, ['b', 'c']],
    ['Exists', [{ matchExpressions: [expr('disk', 'Exists')] }], undefined, ['a', 'b']],
    ['DoesNotExist', [{ matchExpressions: [expr('disk', 'DoesNotExist')] }], undefined, ['c']],
    ['Gt compares integers (a non-integer label never matches)', [{ matchExpressions: [expr('cores', 'Gt', '8')] }], undefined, ['a']],
    ['Lt compares integers', [{ matchExpressions: [expr('cores', 'Lt', '8')] }], undefined, ['b']],
    ['Gt compares as numbers, not strings', [{ matchExpressions: [expr('cores', 'Gt', '10')] }], undefined, ['a']],
    ['expressions within a term are ANDed', [{ matchExpressions: [expr('zone', 'In', 'z1', 'z2'), expr('disk', 'In', 'hdd')] }], undefined, ['b']],
    ['terms are ORed', [{ matchExpressions: [expr('zone', 'In', 'z1')] }, { matchExpressions: [expr('zone', 'In', 'z3')] }], undefined, ['a', 'c']],
    ['matchFields on metadata.name', [{ matchFields: [expr('metadata.name', 'In', 'b')] }], undefined, ['b']],
    ['matchFields ANDed with matchExpressions', [{ matchExpressions: [expr('zone', 'Exists')], matchFields: [expr('metadata.name', 'NotIn', 'a')] }], undefined, ['b', 'c']],
    ['an empty term matches no node', [{}], undefined, []],
    ['an empty term next to a good one', [{}, { matchExpressions: [expr('zone', 'In', 'z2')] }], undefined, ['b']],
    ['nodeSelector alone', [], { disk: 'ssd' }, ['a']],
    ['nodeSelector and affinity must both hold', [{ matchExpressions: [expr('zone', 'In', 'z1', 'z2')] }], { disk: 'hdd' }, ['b']],
  ];
  for (const [what, terms, selector, fits] of cases) {
    test(what, () => {
      const pod = MakePod().Name('p');
      for (const t of terms) pod.RequiredNodeTerm(t);
      if (selector) pod.NodeSelector(selector);
      const run = runPlugin(nodeAffinity, pod.Obj(), nodes);
      assert.deepEqual(run.feasible, fits);
      for (const [, st] of Object.entries(run.rejected)) assert.deepEqual(st, { code: 'UnschedulableAndUnresolvable', reason });
    });
  }
});

describe('NodeAffinity score', () => {
  test('summed weights of matching preferred terms, the best node scaled to 100', () => {
    const pod = MakePod().PreferredNodeTerm(80, expr('disk', 'In', 'ssd')).PreferredNodeTerm(20, expr('zone', 'In', 'z1', 'z2')).Obj();
    assert.deepEqual(runPlugin(nodeAffinity, pod, nodes).scores, { a: 100, b: 20, c: 0 });
  });
  test('scaling uses the best feasible node, with integer division as Kubernetes', () => {
    const pod = MakePod().NodeAffinityTerm(expr('zone', 'In', 'z2', 'z3'))
      .PreferredNodeTerm(30, expr('disk', 'Exists')).PreferredNodeTerm(70, expr('cores', 'Exists')).Obj();
    assert.deepEqual(runPlugin(nodeAffinity, pod, nodes).scores, { b: 100, c: 70 });
    const third = MakePod().PreferredNodeTerm(3, expr('disk', 'Exists')).PreferredNodeTerm(1, expr('zone', 'In', 'z3')).Obj();
    assert.deepEqual(runPlugin(nodeAffinity, third, nodes).scores, { a: 100, b: 100, c: 33 });
  });
  test('no preferred terms: every node scores 0 (no preference)', () => {
    assert.deepEqual(runPlugin(nodeAffinity, MakePod().Obj(), nodes).scores, { a: 0, b: 0, c: 0 });
  });
});
