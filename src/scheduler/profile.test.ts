import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../api/node.js';
import type { Pod } from '../api/pod.js';
import { schedulePod } from './framework/cycle.js';
import type { Profile } from './framework/plugin.js';
import { buildSnapshot } from './framework/snapshot.js';
import { buildProfile, defaultProfile, registry } from './profile.js';
import { MakeNode, MakePod, Sel, type PodWrapper } from './testing/builders.js';

const host = 'kubernetes.io/hostname';
const node = (name: string, zone: string, cpu = '8'): Node => MakeNode().Name(name).Label(host, name).Label('zone', zone).Capacity({ cpu, memory: '16Gi' }).Obj();

/** Schedule replicas one after another as the scheduler does, each seeing the ones placed before. */
function placeAll(nodes: Node[], replicas: PodWrapper[], profile: Profile = defaultProfile): (string | undefined)[] {
  const bound: Pod[] = [];
  return replicas.map((r) => {
    const pod = r.Obj();
    const d = schedulePod(pod, buildSnapshot(nodes, bound), profile);
    if (d.node !== undefined) bound.push({ ...pod, spec: { ...pod.spec, nodeName: d.node } });
    return d.node;
  });
}
const count = (placed: (string | undefined)[], zoneOf: Record<string, string>): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const n of placed) if (n) out[zoneOf[n]!] = (out[zoneOf[n]!] ?? 0) + 1;
  return out;
};

describe('default profile: placements users rely on', () => {
  const nodes = [node('a1', 'a'), node('a2', 'a'), node('a3', 'a'), node('b1', 'b'), node('c1', 'c')];
  const zoneOf = { a1: 'a', a2: 'a', a3: 'a', b1: 'b', c1: 'c' };
  const replica = (i: number): PodWrapper => MakePod().Name(`web-${i}`).Label('app', 'web').Req({ cpu: '100m' });

  test('DoNotSchedule spread keeps zones within maxSkew even though zone a has more nodes', () => {
    const placed = placeAll(nodes, [0, 1, 2, 3, 4, 5].map((i) => replica(i).Spread(1, 'zone', 'DoNotSchedule', Sel({ app: 'web' }))));
    assert.deepEqual(count(placed, zoneOf), { a: 2, b: 2, c: 2 });
  });

  test('ScheduleAnyway spread wins over bin-packing', () => {
    const placed = placeAll([node('a1', 'a'), node('b1', 'b')], [0, 1, 2, 3].map((i) => replica(i).Spread(1, 'zone', 'ScheduleAnyway', Sel({ app: 'web' }))), buildProfile({ scoringStrategy: 'MostAllocated' }));
    assert.deepEqual(count(placed, { a1: 'a', b1: 'b' }), { a: 2, b: 2 });
  });

  test('MostAllocated without spreading packs every replica onto one node', () => {
    const placed = placeAll([node('a1', 'a'), node('b1', 'b')], [0, 1, 2, 3].map(replica), buildProfile({ scoringStrategy: 'MostAllocated' }));
    assert.deepEqual(placed, ['a1', 'a1', 'a1', 'a1']);
  });

  test('required anti-affinity per host: one replica per node, the rest stay pending', () => {
    const anti = (i: number): PodWrapper => replica(i).PodAffinity('podAntiAffinity', { labelSelector: Sel({ app: 'web' }), topologyKey: host });
    const placed = placeAll([node('a1', 'a'), node('b1', 'b')], [0, 1, 2].map(anti));
    assert.deepEqual([placed[0], placed[1]].sort(), ['a1', 'b1']);
    assert.equal(placed[2], undefined);
  });

  test('required pod affinity: the web pod joins the zone of its cache', () => {
    const pods = [MakePod().Name('cache').Label('app', 'cache').NodeName('b1').Obj()];
    const web = replica(0).PodAffinity('podAffinity', { labelSelector: Sel({ app: 'cache' }), topologyKey: 'zone' }).Obj();
    assert.equal(schedulePod(web, buildSnapshot(nodes, pods), defaultProfile).node, 'b1');
  });

  test('a tainted GPU node takes only pods that tolerate the taint, and preferred affinity draws them there', () => {
    const gpu = MakeNode().Name('gpu').Label('accelerator', 'nvidia').Taint('nvidia.com/gpu', 'present', 'NoSchedule').Capacity({ cpu: '8', memory: '16Gi' }).Obj();
    const cluster = [gpu, node('a1', 'a')];
    assert.equal(schedulePod(MakePod().Name('plain').Req({ cpu: '1' }).Obj(), buildSnapshot(cluster, []), defaultProfile).node, 'a1');
    const training = MakePod().Name('train').Req({ cpu: '1' }).Toleration({ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' })
      .PreferredNodeTerm(100, { key: 'accelerator', operator: 'In', values: ['nvidia'] }).Obj();
    assert.equal(schedulePod(training, buildSnapshot(cluster, []), defaultProfile).node, 'gpu');
  });

  test('a PreferNoSchedule taint steers pods away while another node has room', () => {
    const spot = MakeNode().Name('a0').Taint('spot', 'true', 'PreferNoSchedule').Capacity({ cpu: '8', memory: '16Gi' }).Obj();
    assert.equal(schedulePod(replica(0).Obj(), buildSnapshot([spot, node('b1', 'b', '2')], []), defaultProfile).node, 'b1');
  });

  test('all else equal, the node that already holds a large image wins', () => {
    const withImage = MakeNode().Name('b').Capacity({ cpu: '8', memory: '16Gi' }).Image(800 * 1024 * 1024, 'docker.io/library/pytorch:2').Obj();
    const pod = MakePod().Name('p').Container('pytorch:2').Obj();
    assert.equal(schedulePod(pod, buildSnapshot([MakeNode().Name('a').Capacity({ cpu: '8', memory: '16Gi' }).Obj(), withImage], []), defaultProfile).node, 'b');
  });

  test('every plugin of the profile is registered by name', () => {
    const names = new Set([...(defaultProfile.preFilters ?? []), ...defaultProfile.filters, ...defaultProfile.scores.map((s) => s.plugin)].map((p) => p.name));
    for (const n of names) assert.ok(registry[n], `${n} is not in the registry`);
    assert.ok(registry['NodeResourcesMostAllocated']);
  });
});
