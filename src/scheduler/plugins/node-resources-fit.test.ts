import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSnapshot } from '../framework/snapshot.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { Pod } from '../../api/pod.js';
import { MakeNode, MakePod } from '../testing/builders.js';
import { leastAllocated, mostAllocated, nodeResourcesFit, resourcesScorer } from './node-resources-fit.js';

/** n1 (4 cpu, 8Gi) already running the given pods. */
function node(running: Pod[] = [], capacity: Record<string, string> = { cpu: '4', memory: '8Gi' }): NodeInfo {
  const snap = buildSnapshot([MakeNode().Name('n1').Capacity(capacity).Obj()], running.map((p) => ({ ...p, spec: { ...p.spec, nodeName: 'n1' } })));
  return snap.nodes[0]!;
}

describe('NodeResourcesFit filter', () => {
  const cases: [string, Pod, Pod[], string[]][] = [
    ['a pod that fits', MakePod().Req({ cpu: '1', memory: '1Gi' }).Obj(), [], []],
    ['exactly the free amount fits', MakePod().Req({ cpu: '1', memory: '1Gi' }).Obj(), [MakePod().Name('x').Req({ cpu: '3', memory: '7Gi' }).Obj()], []],
    ['a pod without requests fits', MakePod().Container().Obj(), [], []],
    ['too much cpu', MakePod().Req({ cpu: '4500m' }).Obj(), [], ['Insufficient cpu']],
    ['too much memory after what runs', MakePod().Req({ memory: '2Gi' }).Obj(), [MakePod().Name('x').Req({ memory: '7Gi' }).Obj()], ['Insufficient memory']],
    ['cpu and memory both short', MakePod().Req({ cpu: '5', memory: '9Gi' }).Obj(), [], ['Insufficient cpu', 'Insufficient memory']],
    ['requests summed over containers', MakePod().Req({ cpu: '2' }).Req({ cpu: '2500m' }).Obj(), [], ['Insufficient cpu']],
    ['a limit alone counts as the request', MakePod().Lim({ cpu: '5' }).Obj(), [], ['Insufficient cpu']],
    ['an extended resource the node lacks', MakePod().Req({ 'nvidia.com/gpu': '1' }).Obj(), [], ['Insufficient nvidia.com/gpu']],
  ];
  for (const [what, pod, running, reasons] of cases) {
    test(what, () => {
      const status = nodeResourcesFit.filter(pod, node(running));
      if (reasons.length === 0) assert.equal(status.code, 'Success');
      else assert.deepEqual(status, { code: 'Unschedulable', reasons });
    });
  }

  test('an extended resource the node has fits until it is used up', () => {
    const gpuNode = { cpu: '4', memory: '8Gi', 'nvidia.com/gpu': '2' };
    const gpu = MakePod().Req({ 'nvidia.com/gpu': '1' }).Obj();
    assert.equal(nodeResourcesFit.filter(gpu, node([MakePod().Name('a').Req({ 'nvidia.com/gpu': '1' }).Obj()], gpuNode)).code, 'Success');
    assert.deepEqual(nodeResourcesFit.filter(gpu, node([MakePod().Name('a').Req({ 'nvidia.com/gpu': '2' }).Obj()], gpuNode)).reasons, ['Insufficient nvidia.com/gpu']);
  });

  test('the pod count is a resource: a full node says "Too many pods"', () => {
    const small = { cpu: '4', memory: '8Gi', pods: '2' };
    const pod = MakePod().Name('p').Container().Obj();
    assert.equal(nodeResourcesFit.filter(pod, node([MakePod().Name('a').Obj()], small)).code, 'Success');
    assert.deepEqual(nodeResourcesFit.filter(pod, node([MakePod().Name('a').Obj(), MakePod().Name('b').Obj()], small)).reasons, ['Too many pods']);
  });

  test('finished pods on the node hold nothing', () => {
    const done = MakePod().Name('done').Req({ cpu: '4' }).Phase('Succeeded').Obj();
    const failed = MakePod().Name('failed').Req({ cpu: '4' }).Phase('Failed').Obj();
    assert.equal(nodeResourcesFit.filter(MakePod().Req({ cpu: '4' }).Obj(), node([done, failed])).code, 'Success');
  });
});

describe('NodeResourcesLeastAllocated score', () => {
  const cases: [string, Pod, Pod[], number][] = [
    ['an empty node and a pod without requests score 100', MakePod().Container().Obj(), [], 100],
    ['half the cpu and a quarter of the memory used after placement', MakePod().Req({ cpu: '2', memory: '2Gi' }).Obj(), [], (50 + 75) / 2],
    ['what runs already counts', MakePod().Req({ cpu: '1', memory: '2Gi' }).Obj(), [MakePod().Name('x').Req({ cpu: '1', memory: '2Gi' }).Obj()], (50 + 50) / 2],
    ['an overcommitted node scores 0, not below', MakePod().Req({ cpu: '8', memory: '16Gi' }).Obj(), [], 0],
  ];
  for (const [what, pod, running, score] of cases) {
    test(what, () => assert.equal(leastAllocated.score(pod, node(running)), score));
  }

  test('a resource the node does not report is left out of the average', () => {
    assert.equal(leastAllocated.score(MakePod().Req({ cpu: '1' }).Obj(), node([], { cpu: '4' })), 75);
    assert.equal(leastAllocated.score(MakePod().Req({ cpu: '1' }).Obj(), node([], {})), 0);
  });

  test('the emptier node scores higher', () => {
    const pod = MakePod().Req({ cpu: '1', memory: '1Gi' }).Obj();
    const busy = node([MakePod().Name('x').Req({ cpu: '2', memory: '4Gi' }).Obj()]);
    assert.ok(leastAllocated.score(pod, node()) > leastAllocated.score(pod, busy));
  });
});

describe('NodeResourcesMostAllocated score (bin-packing)', () => {
  const cases: [string, Pod, Pod[], number][] = [
    ['an empty node and a pod without requests score 0', MakePod().Container().Obj(), [], 0],
    ['half the cpu and a quarter of the memory used after placement', MakePod().Req({ cpu: '2', memory: '2Gi' }).Obj(), [], (50 + 25) / 2],
    ['what runs already counts', MakePod().Req({ cpu: '1', memory: '2Gi' }).Obj(), [MakePod().Name('x').Req({ cpu: '1', memory: '2Gi' }).Obj()], (50 + 50) / 2],
    ['an overcommitted node scores 100, not above', MakePod().Req({ cpu: '8', memory: '16Gi' }).Obj(), [], 100],
  ];
  for (const [what, pod, running, score] of cases) {
    test(what, () => assert.equal(mostAllocated.score(pod, node(running)), score));
  }

  test('the fuller node scores higher, the opposite of LeastAllocated', () => {
    const pod = MakePod().Req({ cpu: '1', memory: '1Gi' }).Obj();
    const busy = node([MakePod().Name('x').Req({ cpu: '2', memory: '4Gi' }).Obj()]);
    assert.ok(mostAllocated.score(pod, busy) > mostAllocated.score(pod, node()));
  });

  test('resourcesScorer picks the plugin for the strategy', () => {
    assert.equal(resourcesScorer('LeastAllocated'), leastAllocated);
    assert.equal(resourcesScorer('MostAllocated'), mostAllocated);
  });
});
