import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import type { LabelSelector } from '../../api/schema/pod.js';
import { MakeNode, MakePod } from '../testing/builders.js';
import { SchedulerCache } from '../cache.js';
import { buildSnapshot } from '../framework/snapshot.js';
import { CycleState } from '../framework/cycle-state.js';
import { filterNodes, scoreNodes } from '../framework/cycle.js';
import { defaultProfile } from '../profile.js';
import { extensionsOf } from '../framework/plugin.js';

let seed = 7;
const rand = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return Math.floor((seed / 2 ** 31) * n); };
const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)]!;

const groups = ['a', 'b', 'c', 'd'];
const selectors: (() => LabelSelector)[] = [
  () => ({ matchLabels: { group: pick(groups) } }), // one label: the indexed path
  () => ({ matchLabels: { group: pick(groups), tier: 'web' } }), // two labels: checked one by one
  () => ({ matchExpressions: [{ key: 'group', operator: 'In', values: [pick(groups), pick(groups)] }] }),
];
const topologies = ['kubernetes.io/hostname', 'topology.kubernetes.io/zone', 'rack'];

function randomPod(name: string, ns: string): Pod {
  const p = MakePod().Name(name).Namespace(ns).Label('group', pick(groups)).Req({ cpu: '100m' });
  if (rand(2) === 0) p.Label('tier', 'web');
  for (let k = rand(3); k > 0; k--) {
    const kind = pick(['podAffinity', 'podAntiAffinity'] as const);
    const term = { labelSelector: pick(selectors)(), topologyKey: pick(topologies), ...(rand(4) === 0 ? { namespaces: ['default', 'other'] } : {}) };
    p.PodAffinity(kind, term, rand(2) === 0 ? undefined : 1 + rand(100));
  }
  return p.Obj();
}

function node(i: number, rack: string): Node {
  return MakeNode().Name(`n${i}`).Label('kubernetes.io/hostname', `n${i}`).Label('topology.kubernetes.io/zone', `z${i % 3}`).Label('rack', rack)
    .Capacity({ cpu: '64', memory: '64Gi', pods: '110' }).Obj();
}

/** What InterPodAffinity and the rest decide for pod: each node's filter verdict and the feasible nodes' scores. */
function verdicts(pod: Pod, snapshot: ReturnType<typeof buildSnapshot>): string {
  const state = new CycleState();
  const r = filterNodes(pod, snapshot, defaultProfile, state);
  const scores = scoreNodes(pod, r.feasible, snapshot, defaultProfile, state);
  return JSON.stringify({
    feasible: r.feasible.map((n, i) => `${n.name}:${scores[i]}`),
    rejected: [...r.statuses].map(([n, s]) => `${n}:${s.reasons.join('|')}`).sort(),
  });
}

test('placed pods\' affinity terms read from the cache\'s index decide as a walk over the pods does', () => {
  const cache = new SchedulerCache(extensionsOf(defaultProfile));
  const nodes = Array.from({ length: 12 }, (_, i) => node(i, `r${i % 4}`));
  for (const n of nodes) cache.setNode(n);
  const placed = new Map<string, Pod>();
  const place = (p: Pod): void => { placed.set(p.metadata.name, p); cache.setPod(p); };
  for (let i = 0; i < 120; i++) {
    const p = randomPod(`p${i}`, rand(5) === 0 ? 'other' : 'default');
    p.spec.nodeName = pick(nodes).metadata.name;
    place(p);
  }
  const compare = (round: string): void => {
    const walked = buildSnapshot(nodes, placed.values());
    for (let i = 0; i < 60; i++) {
      const incoming = randomPod(`in-${round}-${i}`, rand(5) === 0 ? 'other' : 'default');
      assert.equal(verdicts(incoming, cache.snapshot()), verdicts(incoming, walked), `${round}: pod ${i} ${JSON.stringify(incoming.spec.affinity)} labels ${JSON.stringify(incoming.metadata.labels)}`);
    }
  };
  compare('placed');

  // Pods go, move, finish; a node is relabelled (its pods' terms change domain); a node leaves.
  for (let i = 0; i < 40; i++) { cache.deletePod(`default/p${i}`); cache.deletePod(`other/p${i}`); placed.delete(`p${i}`); }
  for (let i = 40; i < 60; i++) {
    const p = structuredClone(placed.get(`p${i}`)!);
    p.spec.nodeName = pick(nodes).metadata.name;
    place(p);
  }
  for (let i = 60; i < 70; i++) {
    const p = structuredClone(placed.get(`p${i}`)!);
    p.status = { ...p.status, phase: 'Succeeded' };
    place(p);
    placed.delete(`p${i}`);
  }
  nodes[3] = node(3, 'r-moved');
  cache.setNode(nodes[3]);
  cache.deleteNode('n5');
  nodes.splice(5, 1);
  for (const p of [...placed.values()]) if (p.spec.nodeName === 'n5') placed.delete(p.metadata.name);
  compare('changed');
});
