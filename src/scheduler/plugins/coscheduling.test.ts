import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import type { PodGroup } from '../../api/schema/pod-group.js';
import { GangAnnotations } from '../../api/annotations.js';
import { MakeNode, MakePod, Sel } from '../testing/builders.js';
import { SchedulerCache, podKey } from '../cache.js';
import { runPass, type PassHost } from '../framework/pass.js';
import { extensionsOf } from '../framework/plugin.js';
import { defaultProfile } from '../profile.js';
import { Gangs, annotatedMinMember, gangKey } from './coscheduling-gangs.js';

const nodes = (n: number, cpu = '1') => Array.from({ length: n }, (_, i) => MakeNode().Name(`n${i}`).Label('kubernetes.io/hostname', `n${i}`).Capacity({ cpu, memory: '8Gi', pods: '110' }).Obj());
const member = (group: string, i: number, cpu = '1'): Pod => {
  const p = MakePod().Name(`${group}-${i}`).Label('group', group).Req({ cpu }).Obj();
  p.metadata.annotations = { [GangAnnotations.group]: group };
  return p;
};
const members = (group: string, n: number, cpu = '1') => Array.from({ length: n }, (_, i) => member(group, i, cpu));

/** Where each placed member goes, or why the gang waits. */
type GangDecision = { placements: { pod: Pod; node: string }[] } | { message: string };
const placed = (d: GangDecision) => ('placements' in d ? d.placements.map((x) => `${x.pod.metadata.name}@${x.node}`) : d.message);

/**
 * The scheduler's own path for a gang: a cache over nodes and bound pods, the PodGroup (minMember),
 * `running` members already on a node outside the snapshot, the pending members; then one pass
 * (runPass) from the first pending member. What the cache holds afterwards is returned too.
 */
function decideGang(group: string, pending: Pod[], running: number, minMember: number, nodes: Node[], bound: Pod[] = []): { decision: GangDecision; cache: SchedulerCache } {
  const cache = new SchedulerCache(extensionsOf(defaultProfile));
  for (const n of nodes) cache.setNode(n);
  for (const p of bound) cache.setPod(p);
  const [namespace, name] = group.split('/') as [string, string];
  const pg: PodGroup = { apiVersion: 'lantern.dev/v1', kind: 'PodGroup', metadata: { name, namespace }, spec: { minMember } };
  cache.objectChanged('podgroups', { type: 'ADDED', object: pg });
  for (let i = 0; i < running; i++) cache.setPod({ ...member(name, 1000 + i), spec: { ...member(name, 1000 + i).spec, nodeName: 'elsewhere' } });
  for (const p of pending) cache.setPod(p);
  const host: PassHost = { snapshot: () => cache.snapshot(), assume: (p, n) => cache.assume(p, n), forget: (p) => cache.forget(p), take: (p) => cache.getPod(podKey(p)) };
  const result = runPass(pending[0]!, defaultProfile, host);
  const placements = result.outcomes.flatMap((o) => (o.kind === 'bind' ? [{ pod: o.pod, node: o.node }] : []));
  const rejected = result.outcomes.find((o) => o.kind === 'rejected');
  const message = rejected?.kind === 'rejected' ? rejected.message : result.groups.find((g) => g.key === group)?.status.message ?? 'no outcome';
  return { decision: placements.length > 0 ? { placements } : { message }, cache };
}
/** decideGang's decision alone. */
const placeGang = (group: string, pending: Pod[], running: number, minMember: number, nodes: Node[], bound: Pod[] = []): GangDecision =>
  decideGang(group, pending, running, minMember, nodes, bound).decision;

describe('gang scheduling (Coscheduling through one pass)', () => {
  test('all members fit: each sees the ones placed before it', () => {
    const d = placeGang('default/train', members('train', 3), 0, 3, nodes(3));
    assert.deepEqual(placed(d), ['train-0@n0', 'train-1@n1', 'train-2@n2']);
  });

  test('one member short: nobody is placed, and the reason names what is missing', () => {
    const { decision: d, cache } = decideGang('default/train', members('train', 4), 0, 4, nodes(3));
    assert.equal(placed(d), 'pod group default/train: only 3 of minMember 4 pods fit together; 0/3 nodes are available: 3 Insufficient cpu.');
    assert.deepEqual(cache.snapshot().nodes.map((n) => n.pods.length), [0, 0, 0], 'the rejected members\' reservations are undone');
  });

  test('members not yet created: the gang waits for them', () => {
    const d = placeGang('default/train', members('train', 2), 0, 4, nodes(8));
    assert.equal(placed(d), 'pod group default/train: 2 of 4 pods exist; waiting for 2 more to be created');
  });

  test('members already running count towards minMember', () => {
    const d = placeGang('default/train', members('train', 2), 2, 4, nodes(2));
    assert.equal('placements' in d && d.placements.length, 2);
  });

  test('two gangs that cannot both fit: the first decided takes the room whole, the other gets nothing', () => {
    // 5 cpus; each gang needs 3. Decide A, then B over a cache with A's placements.
    const cluster = nodes(5);
    for (const [first, second] of [['a', 'b'], ['b', 'a']] as const) {
      const one = placeGang(`default/${first}`, members(first, 3), 0, 3, cluster);
      assert.ok('placements' in one);
      const bound = one.placements.map((x) => ({ ...x.pod, spec: { ...x.pod.spec, nodeName: x.node } }));
      const two = placeGang(`default/${second}`, members(second, 3), 0, 3, cluster, bound);
      assert.match(placed(two) as string, /only 2 of minMember 3 pods fit together/);
    }
  });

  test('required anti-affinity between members is honoured inside one decision', () => {
    const spread = members('ring', 3, '100m').map((p) => {
      p.spec.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: Sel({ group: 'ring' }), topologyKey: 'kubernetes.io/hostname' }] } };
      return p;
    });
    assert.match(placed(placeGang('default/ring', spread, 0, 3, nodes(2, '4'))) as string, /only 2 of minMember 3 pods fit together; 0\/2 nodes are available: 2 node\(s\) didn't match pod anti-affinity rules\./);
    const d = placeGang('default/ring', spread, 0, 3, nodes(3, '4'));
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

  test('the last missing member wakes a parked gang; a changed minMember wakes its pending members', () => {
    const gangs = new Gangs();
    const pg = (minMember: number, rv: string): PodGroup => ({ apiVersion: 'lantern.dev/v1', kind: 'PodGroup', metadata: { name: 'train', namespace: 'default', resourceVersion: rv }, spec: { minMember } });
    const names = (pods: readonly Pod[] | undefined) => pods?.map((p) => p.metadata.name);
    gangs.objectChanged('podgroups', { type: 'ADDED', object: pg(3, '1') });
    const [a, b, c] = members('train', 3);
    assert.deepEqual([gangs.podChanged(undefined, a!), gangs.podChanged(undefined, b!)], [undefined, undefined], 'still short of minMember');
    assert.deepEqual(names(gangs.podChanged(undefined, c!)), ['train-0', 'train-1', 'train-2']);
    assert.equal(gangs.podChanged(c!, c!), undefined, 'an update is no new member');
    assert.deepEqual(names(gangs.objectChanged('podgroups', { type: 'MODIFIED', object: pg(2, '2') })), ['train-0', 'train-1', 'train-2']);
    assert.equal(gangs.objectChanged('podgroups', { type: 'MODIFIED', object: pg(5, '1') }), undefined, 'an older copy (before our own status write) is ignored');
    assert.equal(gangs.minMember('default/train', a!), 2);
    assert.deepEqual(names(gangs.objectChanged('podgroups', { type: 'DELETED', object: pg(2, '3') })), ['train-0', 'train-1', 'train-2'], 'without its PodGroup the gang is tried again');
    assert.equal(gangs.minMember('default/train', a!), undefined);
  });
});
