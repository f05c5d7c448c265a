import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../api/pod.js';
import { GangAnnotations } from '../api/annotations.js';
import { MakeNode, MakePod, Sel } from './testing/builders.js';
import { buildSnapshot, type Snapshot } from './framework/snapshot.js';
import { defaultProfile } from './profile.js';
import { annotatedMinMember, gangKey, placeGang, type GangDecision } from './gang.js';

const nodes = (n: number, cpu = '1') => Array.from({ length: n }, (_, i) => MakeNode().Name(`n${i}`).Label('kubernetes.io/hostname', `n${i}`).Capacity({ cpu, memory: '8Gi', pods: '110' }).Obj());
const member = (group: string, i: number, cpu = '1'): Pod => {
  const p = MakePod().Name(`${group}-${i}`).Label('group', group).Req({ cpu }).Obj();
  p.metadata.annotations = { [GangAnnotations.group]: group };
  return p;
};
const members = (group: string, n: number, cpu = '1') => Array.from({ length: n }, (_, i) => member(group, i, cpu));
const placed = (d: GangDecision) => ('placements' in d ? d.placements.map((x) => `${x.pod.metadata.name}@${x.node}`) : d.message);

describe('gang scheduling (placeGang)', () => {
  test('all members fit: each sees the ones placed before it', () => {
    const d = placeGang('default/train', members('train', 3), 0, 3, buildSnapshot(nodes(3), []), defaultProfile);
    assert.deepEqual(placed(d), ['train-0@n0', 'train-1@n1', 'train-2@n2']);
  });

  test('one member short: nobody is placed, and the reason names what is missing', () => {
    const d = placeGang('default/train', members('train', 4), 0, 4, buildSnapshot(nodes(3), []), defaultProfile);
    assert.equal(placed(d), 'pod group default/train: only 3 of minMember 4 pods fit together; 0/3 nodes are available: 3 Insufficient cpu.');
  });

  test('members not yet created: the gang waits for them', () => {
    const d = placeGang('default/train', members('train', 2), 0, 4, buildSnapshot(nodes(8), []), defaultProfile);
    assert.equal(placed(d), 'pod group default/train: 2 of 4 pods exist; waiting for 2 more to be created');
  });

  test('members already running count towards minMember', () => {
    const d = placeGang('default/train', members('train', 2), 2, 4, buildSnapshot(nodes(2), []), defaultProfile);
    assert.equal('placements' in d && d.placements.length, 2);
  });

  test('two gangs that cannot both fit: the first decided takes the room whole, the other gets nothing', () => {
    // 5 cpus; each gang needs 3. Decide A, then B over the snapshot with A's placements (as the cache would hold them).
    const cluster = nodes(5);
    for (const [first, second] of [['a', 'b'], ['b', 'a']] as const) {
      const one = placeGang(`default/${first}`, members(first, 3), 0, 3, buildSnapshot(cluster, []), defaultProfile);
      assert.ok('placements' in one);
      const bound = one.placements.map((x) => ({ ...x.pod, spec: { ...x.pod.spec, nodeName: x.node } }));
      const two = placeGang(`default/${second}`, members(second, 3), 0, 3, buildSnapshot(cluster, bound), defaultProfile);
      assert.match(placed(two) as string, /only 2 of minMember 3 pods fit together/);
    }
  });

  test('required anti-affinity between members is honoured inside one decision', () => {
    const spread = members('ring', 3, '100m').map((p) => {
      p.spec.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: Sel({ group: 'ring' }), topologyKey: 'kubernetes.io/hostname' }] } };
      return p;
    });
    const snapshot: Snapshot = buildSnapshot(nodes(2, '4'), []);
    assert.match(placed(placeGang('default/ring', spread, 0, 3, snapshot, defaultProfile)) as string, /only 2 of minMember 3 pods fit together; 0\/2 nodes are available: 2 node\(s\) didn't match pod anti-affinity rules\./);
    const d = placeGang('default/ring', spread, 0, 3, buildSnapshot(nodes(3, '4'), []), defaultProfile);
    assert.deepEqual(new Set('placements' in d ? d.placements.map((x) => x.node) : []).size, 3);
  });

  test('the group and minMember come from the pod annotations', () => {
    const p = member('train', 0);
    assert.equal(gangKey(p), 'default/train');
    assert.equal(annotatedMinMember(p), undefined);
    p.metadata.annotations![GangAnnotations.minAvailable] = '4';
    assert.equal(annotatedMinMember(p), 4);
    assert.equal(gangKey(MakePod().Name('solo').Obj()), undefined);
  });
});
