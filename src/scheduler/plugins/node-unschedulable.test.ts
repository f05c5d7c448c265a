import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeInfo } from '../framework/node-info.js';
import { MakeNode, MakePod } from '../testing/builders.js';
import { nodeUnschedulable } from './node-unschedulable.js';

describe('NodeUnschedulable filter', () => {
  const pod = MakePod().Name('p').Obj();
  test('a cordoned node takes no new pods', () => {
    const node = new NodeInfo(MakeNode().Name('n1').Unschedulable().Obj());
    assert.deepEqual(nodeUnschedulable.filter(pod, node), { code: 'UnschedulableAndUnresolvable', reasons: ['node(s) were unschedulable'] });
  });
  test('an uncordoned node, or one without a spec, is fine', () => {
    assert.equal(nodeUnschedulable.filter(pod, new NodeInfo(MakeNode().Name('n1').Unschedulable(false).Obj())).code, 'Success');
    const bare = MakeNode().Name('n2').Obj();
    delete bare.spec;
    assert.equal(nodeUnschedulable.filter(pod, new NodeInfo(bare)).code, 'Success');
  });
  test('a pod tolerating the unschedulable taint may land on a cordoned node (as DaemonSet pods do)', () => {
    const cordoned = new NodeInfo(MakeNode().Name('n1').Unschedulable().Obj());
    const tolerant = MakePod().Toleration({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }).Obj();
    assert.equal(nodeUnschedulable.filter(tolerant, cordoned).code, 'Success');
    const wrongEffect = MakePod().Toleration({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoExecute' }).Obj();
    assert.equal(nodeUnschedulable.filter(wrongEffect, cordoned).code, 'UnschedulableAndUnresolvable');
  });
});
