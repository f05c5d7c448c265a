import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../../api/node.js';
import type { PodSpec } from '../../api/schema/pod.js';
import { nodeOfPod, shouldRunOn, specForNode } from './placement.js';

const node = (name: string, labels: Record<string, string> = {}, taints: NonNullable<Node['spec']>['taints'] = [], unschedulable = false): Node =>
  ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: { taints, unschedulable } });
const spec = (over: Partial<PodSpec> = {}): PodSpec => ({ containers: [{ name: 'c', image: 'busybox' }], ...over });

describe('DaemonSet placement', () => {
  test('nodeSelector and required node affinity pick the nodes', () => {
    assert.equal(shouldRunOn(spec({ nodeSelector: { edge: 'yes' } }), node('a', { edge: 'yes' })), true);
    assert.equal(shouldRunOn(spec({ nodeSelector: { edge: 'yes' } }), node('b')), false);
    const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In' as const, values: ['x'] }] }] } } };
    assert.equal(shouldRunOn(spec({ affinity }), node('a', { zone: 'x' })), true);
    assert.equal(shouldRunOn(spec({ affinity }), node('a', { zone: 'y' })), false);
  });

  test('taints keep daemon pods off unless tolerated; not-ready, unreachable and cordoned nodes still get them', () => {
    const dedicated = [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' as const }];
    assert.equal(shouldRunOn(spec(), node('a', {}, dedicated)), false);
    assert.equal(shouldRunOn(spec({ tolerations: [{ key: 'dedicated', operator: 'Exists' }] }), node('a', {}, dedicated)), true);
    assert.equal(shouldRunOn(spec(), node('a', {}, [{ key: 'node.lantern.dev/unreachable', effect: 'NoExecute' }])), true);
    assert.equal(shouldRunOn(spec(), node('a', {}, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }], true)), true);
    assert.equal(shouldRunOn(spec(), node('a', {}, [{ key: 'soft', effect: 'PreferNoSchedule' }])), true);
  });

  test('the pod is pinned to its node by a required affinity on metadata.name, with the automatic tolerations', () => {
    const s = specForNode(spec({ tolerations: [{ key: 'dedicated', operator: 'Exists' }] }), 'node-7');
    assert.deepEqual(s.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms, [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-7'] }] }]);
    assert.ok(s.tolerations?.some((t) => t.key === 'node.kubernetes.io/unschedulable'));
    assert.ok(s.tolerations?.some((t) => t.key === 'dedicated'));
    assert.equal(nodeOfPod(s), 'node-7');
    assert.equal(nodeOfPod({ ...s, nodeName: 'other' }), 'other');
  });
});
