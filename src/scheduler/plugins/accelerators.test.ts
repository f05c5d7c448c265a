import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import { schedulePod } from '../framework/cycle.js';
import type { Profile } from '../framework/plugin.js';
import { buildSnapshot } from '../framework/snapshot.js';
import { buildProfile, defaultProfile } from '../profile.js';
import { MakeNode, MakePod, runPlugin } from '../testing/builders.js';
import { acceleratorPacking, acceleratorSpreading } from './accelerator-packing.js';
import { isExtendedResource } from './accelerator-requests.js';
import { devicesAnnotation, gpuTopology } from './gpu-topology.js';

const gpuNode = (name: string, gpus = 8, extra: Record<string, string> = {}): Node =>
  MakeNode().Name(name).Label('kubernetes.io/hostname', name).Capacity({ cpu: '64', memory: '512Gi', 'nvidia.com/gpu': String(gpus), ...extra }).Obj();
const gpuPod = (name: string, gpus: number): Pod => MakePod().Name(name).Req({ cpu: '1', memory: '1Gi' }, { 'nvidia.com/gpu': String(gpus) }).Obj();
const on = (pod: Pod, node: string): Pod => ({ ...pod, spec: { ...pod.spec, nodeName: node } });

/** Place pods in order, each seeing those before; the node of each (undefined: unschedulable) and the last message. */
function placeAll(nodes: Node[], pods: Pod[], profile: Profile): { placed: (string | undefined)[]; message?: string } {
  const bound: Pod[] = [];
  let message: string | undefined;
  const placed = pods.map((pod) => {
    const d = schedulePod(pod, buildSnapshot(nodes, bound), profile);
    if (d.node !== undefined) bound.push(on(pod, d.node)); else message = d.message;
    return d.node;
  });
  return { placed, ...(message ? { message } : {}) };
}

describe('extended resources', () => {
  test('vendor domains are extended resources; kubernetes.io and quota names are not', () => {
    assert.deepEqual(['nvidia.com/gpu', 'lantern.dev/gpu-memory', 'example.com/foo', 'cpu', 'kubernetes.io/batch', 'requests.nvidia.com/gpu'].map(isExtendedResource),
      [true, true, true, false, false, false]);
  });
});

describe('AcceleratorPacking', () => {
  test('scores the node whose GPUs are already in use higher; LeastAllocated the reverse', () => {
    const nodes = [gpuNode('busy'), gpuNode('idle')];
    const running = [on(gpuPod('r', 4), 'busy')];
    const packed = runPlugin(acceleratorPacking, gpuPod('p', 1), nodes, running).scores;
    assert.ok(packed.busy! > packed.idle!, JSON.stringify(packed));
    const spread = runPlugin(acceleratorSpreading, gpuPod('p', 1), nodes, running).scores;
    assert.ok(spread.idle! > spread.busy!, JSON.stringify(spread));
  });

  test('the default profile packs 1-GPU pods so an 8-GPU job still finds a whole node; spreading leaves it nowhere', () => {
    const nodes = [gpuNode('g1'), gpuNode('g2')];
    const pods = [...Array.from({ length: 8 }, (_, i) => gpuPod(`small-${i}`, 1)), gpuPod('big', 8)];
    const packed = placeAll(nodes, pods, defaultProfile);
    assert.equal(new Set(packed.placed.slice(0, 8)).size, 1, `small pods on one node: ${packed.placed.join(',')}`);
    assert.notEqual(packed.placed[8], undefined, 'the 8-GPU job is placed');
    const spread = placeAll(nodes, pods, buildProfile({ acceleratorStrategy: 'LeastAllocated' }));
    assert.equal(spread.placed[8], undefined);
    assert.equal(spread.message, '0/2 nodes are available: 2 Insufficient nvidia.com/gpu.');
  });

  test('pods without accelerators are not scored by it (cpu and memory keep spreading)', () => {
    const nodes = [gpuNode('busy'), gpuNode('idle')];
    const run = runPlugin(acceleratorPacking, MakePod().Name('web').Req({ cpu: '1' }).Obj(), nodes, [on(gpuPod('r', 4), 'busy')]);
    assert.deepEqual(run.scores, { busy: 0, idle: 0 });
  });

  test('no node with enough free GPUs gives Kubernetes\' message', () => {
    const nodes = [gpuNode('a', 1), gpuNode('b', 1), gpuNode('c', 0)];
    const d = schedulePod(gpuPod('two', 2), buildSnapshot(nodes, []), defaultProfile);
    assert.equal(d.node, undefined);
    assert.equal(d.message, '0/3 nodes are available: 3 Insufficient nvidia.com/gpu.');
  });

  test('GPU memory fractions are accounted as an extended resource', () => {
    const nodes = [gpuNode('frac', 1, { 'lantern.dev/gpu-memory': '80Gi' })];
    const half = (name: string): Pod => MakePod().Name(name).Lim({ 'lantern.dev/gpu-memory': '40Gi' }).Obj();
    const { placed, message } = placeAll(nodes, [half('a'), half('b'), half('c')], defaultProfile);
    assert.deepEqual(placed, ['frac', 'frac', undefined]);
    assert.equal(message, '0/1 nodes are available: 1 Insufficient lantern.dev/gpu-memory.');
  });
});

describe('GpuTopology', () => {
  const withDevices = (name: string, devices: object[]): Node => {
    const n = gpuNode(name, devices.length);
    n.metadata.annotations = { [devicesAnnotation]: JSON.stringify(devices) };
    return n;
  };
  const gpu = (id: string, group: string, pod?: string): object => ({ resource: 'nvidia.com/gpu', id, healthy: true, topologyGroup: group, ...(pod ? { pod } : {}) });

  test('a node whose free GPUs share one NVLink group scores higher for a 2-GPU pod', () => {
    // split: one free GPU per group; linked: two free GPUs in group nv1.
    const split = withDevices('split', [gpu('a0', 'nv0'), gpu('a1', 'nv0', 'default/x'), gpu('a2', 'nv1'), gpu('a3', 'nv1', 'default/y')]);
    const linked = withDevices('linked', [gpu('b0', 'nv0', 'default/x'), gpu('b1', 'nv0', 'default/y'), gpu('b2', 'nv1'), gpu('b3', 'nv1')]);
    const scores = runPlugin(gpuTopology, gpuPod('p', 2), [split, linked]).scores;
    assert.deepEqual(scores, { split: 50, linked: 100 });
  });

  test('unhealthy GPUs do not count; nodes without the annotation or with a broken one score 0', () => {
    const sick = withDevices('sick', [gpu('c0', 'nv0'), { resource: 'nvidia.com/gpu', id: 'c1', healthy: false, topologyGroup: 'nv0' }]);
    const bare = gpuNode('bare', 2);
    const broken = gpuNode('broken', 2);
    broken.metadata.annotations = { [devicesAnnotation]: '{not json' };
    assert.deepEqual(runPlugin(gpuTopology, gpuPod('p', 2), [sick, bare, broken]).scores, { sick: 50, bare: 0, broken: 0 });
  });

  test('the default profile puts a 2-GPU pod on the node where its GPUs share a link', () => {
    const split = withDevices('split', [gpu('a0', 'nv0'), gpu('a1', 'nv1')]);
    const linked = withDevices('linked', [gpu('b0', 'nv0'), gpu('b1', 'nv0')]);
    assert.equal(schedulePod(gpuPod('p', 2), buildSnapshot([split, linked], []), defaultProfile).node, 'linked');
    assert.equal(schedulePod(gpuPod('p', 2), buildSnapshot([linked, split], []), defaultProfile).node, 'linked');
  });
});
