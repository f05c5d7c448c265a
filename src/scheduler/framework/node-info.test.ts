import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MakeNode, MakePod } from '../testing/builders.js';
import { NodeInfo, holdsResources, nodeAllocatable, podRequests } from './node-info.js';
import { buildSnapshot } from './snapshot.js';

describe('podRequests', () => {
  const cases: [string, ReturnType<typeof podRequests>, ReturnType<typeof podRequests>][] = [
    ['a pod without resources asks for one pod slot', podRequests(MakePod().Container().Obj()), { pods: 1 }],
    ['cpu in millicores, memory in bytes', podRequests(MakePod().Req({ cpu: '500m', memory: '64Mi' }).Obj()), { pods: 1, cpu: 500, memory: 67_108_864 }],
    ['requests summed over containers', podRequests(MakePod().Req({ cpu: '250m' }).Req({ cpu: '0.5', memory: '1G' }).Obj()), { pods: 1, cpu: 750, memory: 1e9 }],
    ['a limit alone counts as the request', podRequests(MakePod().Lim({ cpu: '2', memory: '1Gi' }).Obj()), { pods: 1, cpu: 2000, memory: 2 ** 30 }],
    ['a request wins over its limit', podRequests(MakePod().Req({ cpu: '100m' }, { cpu: '2', memory: '1Gi' }).Obj()), { pods: 1, cpu: 100, memory: 2 ** 30 }],
    ['extended resources are counts', podRequests(MakePod().Req({ 'nvidia.com/gpu': '2' }).Obj()), { pods: 1, 'nvidia.com/gpu': 2 }],
    ['ephemeral-storage is bytes', podRequests(MakePod().Req({ 'ephemeral-storage': '1Ki' }).Obj()), { pods: 1, 'ephemeral-storage': 1024 }],
  ];
  for (const [what, got, want] of cases) test(what, () => assert.deepEqual(got, want));
});

describe('nodeAllocatable', () => {
  test('reads allocatable, falling back to capacity', () => {
    const both = MakeNode().Name('n').Capacity({ cpu: '4', memory: '8Gi' }).Allocatable({ cpu: '3500m', memory: '7Gi', pods: '10' }).Obj();
    assert.deepEqual(nodeAllocatable(both), { cpu: 3500, memory: 7 * 2 ** 30, pods: 10 });
    const capOnly = MakeNode().Name('n').Obj();
    capOnly.status = { capacity: { cpu: '2', memory: '1Gi', pods: '110' } };
    assert.deepEqual(nodeAllocatable(capOnly), { cpu: 2000, memory: 2 ** 30, pods: 110 });
    assert.deepEqual(nodeAllocatable(MakeNode().Name('n').Obj()), {});
  });
});

describe('NodeInfo and buildSnapshot', () => {
  test('addPod sums what the node\'s pods request', () => {
    const info = new NodeInfo(MakeNode().Name('n1').Capacity({ cpu: '4' }).Obj());
    info.addPod(MakePod().Name('a').Req({ cpu: '1' }).Obj());
    info.addPod(MakePod().Name('b').Lim({ cpu: '500m', memory: '1Mi' }).Obj());
    assert.equal(info.name, 'n1');
    assert.deepEqual(info.requested, { pods: 2, cpu: 1500, memory: 2 ** 20 });
    assert.deepEqual(info.pods.map((p) => p.metadata.name), ['a', 'b']);
  });

  test('holdsResources: only finished pods hold nothing', () => {
    assert.equal(holdsResources(MakePod().Obj()), true);
    assert.equal(holdsResources(MakePod().Phase('Pending').Obj()), true);
    assert.equal(holdsResources(MakePod().Phase('Running').Obj()), true);
    assert.equal(holdsResources(MakePod().Phase('Unknown').Obj()), true);
    assert.equal(holdsResources(MakePod().Phase('Succeeded').Obj()), false);
    assert.equal(holdsResources(MakePod().Phase('Failed').Obj()), false);
  });

  test('pods count on their node; unbound, finished and unknown-node pods hold nothing', () => {
    const nodes = [MakeNode().Name('n2').Capacity({ cpu: '2' }).Obj(), MakeNode().Name('n1').Capacity({ cpu: '4' }).Obj()];
    const pods = [
      MakePod().Name('run').NodeName('n1').Req({ cpu: '1' }).Phase('Running').Obj(),
      MakePod().Name('pending').NodeName('n1').Req({ cpu: '1' }).Obj(),
      MakePod().Name('done').NodeName('n1').Req({ cpu: '3' }).Phase('Succeeded').Obj(),
      MakePod().Name('failed').NodeName('n2').Req({ cpu: '2' }).Phase('Failed').Obj(),
      MakePod().Name('unbound').Req({ cpu: '2' }).Obj(),
      MakePod().Name('elsewhere').NodeName('gone').Req({ cpu: '2' }).Obj(),
    ];
    const snap = buildSnapshot(nodes, pods);
    assert.deepEqual(snap.nodes.map((n) => n.name), ['n1', 'n2'], 'nodes sorted by name');
    assert.deepEqual(snap.nodes[0]!.requested, { pods: 2, cpu: 2000 });
    assert.deepEqual(snap.nodes[0]!.pods.map((p) => p.metadata.name), ['run', 'pending']);
    assert.deepEqual(snap.nodes[1]!.requested, {});
  });
});
