import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import type { PodAffinityTerm } from '../../api/schema/pod.js';
import { MakeNode, MakePod, Sel, runPlugin } from '../testing/builders.js';
import { interPodAffinity } from './inter-pod-affinity.js';

const host = 'kubernetes.io/hostname';
const node = (name: string, zone?: string): Node => {
  const b = MakeNode().Name(name).Label(host, name);
  if (zone) b.Label('zone', zone);
  return b.Obj();
};
/** n1, n2 in zone a; n3 in zone b; n4 has no zone label. */
const nodes = [node('n1', 'a'), node('n2', 'a'), node('n3', 'b'), node('n4')];
const pod = (name: string, app: string, on?: string, ns = 'default') => {
  const b = MakePod().Name(name).Namespace(ns).Label('app', app);
  if (on) b.NodeName(on);
  return b;
};
const term = (app: string, topologyKey: string, namespaces?: string[]): PodAffinityTerm => ({ labelSelector: Sel({ app }), topologyKey, ...(namespaces ? { namespaces } : {}) });

const affinityMiss = { code: 'UnschedulableAndUnresolvable', reason: "node(s) didn't match pod affinity rules" };
const antiMiss = { code: 'Unschedulable', reason: "node(s) didn't match pod anti-affinity rules" };
const existingMiss = { code: 'Unschedulable', reason: "node(s) didn't satisfy existing pods anti-affinity rules" };

describe('InterPodAffinity filter', () => {
  const cases: [string, Pod, Pod[], string[]][] = [
    ['required affinity: the zone of a matching pod', pod('p', 'web').PodAffinity('podAffinity', term('db', 'zone')).Obj(), [pod('db', 'db', 'n1').Obj()], ['n1', 'n2']],
    ['required affinity per host', pod('p', 'web').PodAffinity('podAffinity', term('db', host)).Obj(), [pod('db', 'db', 'n3').Obj()], ['n3']],
    ['a matching pod in another namespace does not count by default', pod('p', 'web').PodAffinity('podAffinity', term('db', 'zone')).Obj(), [pod('db', 'db', 'n3', 'data').Obj()], []],
    ['unless the term names that namespace', pod('p', 'web').PodAffinity('podAffinity', term('db', 'zone', ['data'])).Obj(), [pod('db', 'db', 'n3', 'data').Obj()], ['n3']],
    ['the first pod of a self-affine group may go to any node with the topology label', pod('p', 'web').PodAffinity('podAffinity', term('web', 'zone')).Obj(), [], ['n1', 'n2', 'n3']],
    ['once one exists, the group follows it', pod('p', 'web').PodAffinity('podAffinity', term('web', 'zone')).Obj(), [pod('w1', 'web', 'n3').Obj()], ['n3']],
    ['no matching pod and the pod does not match itself: nowhere', pod('p', 'web').PodAffinity('podAffinity', term('db', 'zone')).Obj(), [], []],
    ['with two terms an existing pod must match both', pod('p', 'web').PodAffinity('podAffinity', term('db', 'zone')).PodAffinity('podAffinity', { labelSelector: Sel({ tier: 'data' }), topologyKey: 'zone' }).Obj(),
      [pod('db1', 'db', 'n1').Obj(), MakePod().Name('db2').Label('app', 'db').Label('tier', 'data').NodeName('n3').Obj()], ['n3']],
    ['required anti-affinity per host', pod('p', 'web').PodAffinity('podAntiAffinity', term('web', host)).Obj(), [pod('w1', 'web', 'n1').Obj()], ['n2', 'n3', 'n4']],
    ['required anti-affinity per zone; a node without the label is no zone and is fine', pod('p', 'web').PodAffinity('podAntiAffinity', term('web', 'zone')).Obj(), [pod('w1', 'web', 'n1').Obj()], ['n3', 'n4']],
    ['anti-affinity ignores other namespaces by default', pod('p', 'web').PodAffinity('podAntiAffinity', term('web', host)).Obj(), [pod('w1', 'web', 'n1', 'other').Obj()], ['n1', 'n2', 'n3', 'n4']],
    ['an existing pod\'s anti-affinity keeps the incoming pod out of its zone', pod('p', 'web').Obj(), [pod('db', 'db', 'n1').PodAffinity('podAntiAffinity', term('web', 'zone')).Obj()], ['n3', 'n4']],
    ['an existing pod\'s anti-affinity applies to its own namespace only', pod('p', 'web').Obj(), [pod('db', 'db', 'n1', 'other').PodAffinity('podAntiAffinity', term('web', 'zone')).Obj()], ['n1', 'n2', 'n3', 'n4']],
    ['a term without a labelSelector matches no pod', pod('p', 'web').PodAffinity('podAntiAffinity', { topologyKey: host }).Obj(), [pod('w1', 'web', 'n1').Obj()], ['n1', 'n2', 'n3', 'n4']],
  ];
  for (const [what, incoming, running, fits] of cases) test(what, () => assert.deepEqual(runPlugin(interPodAffinity, incoming, nodes, running).feasible, fits));

  test('each rule names itself when it rejects a node', () => {
    assert.deepEqual(runPlugin(interPodAffinity, pod('p', 'web').PodAffinity('podAffinity', term('db', 'zone')).Obj(), nodes, [pod('db', 'db', 'n1').Obj()]).rejected,
      { n3: affinityMiss, n4: affinityMiss });
    assert.deepEqual(runPlugin(interPodAffinity, pod('p', 'web').PodAffinity('podAntiAffinity', term('web', host)).Obj(), nodes, [pod('w1', 'web', 'n1').Obj()]).rejected,
      { n1: antiMiss });
    assert.deepEqual(runPlugin(interPodAffinity, pod('p', 'web').Obj(), nodes, [pod('db', 'db', 'n3').PodAffinity('podAntiAffinity', term('web', host)).Obj()]).rejected,
      { n3: existingMiss });
  });
});

describe('InterPodAffinity score', () => {
  test('preferred affinity pulls towards the zone of matching pods', () => {
    const p = pod('p', 'web').PodAffinity('podAffinity', term('db', 'zone'), 50).Obj();
    assert.deepEqual(runPlugin(interPodAffinity, p, nodes, [pod('db', 'db', 'n3').Obj()]).scores, { n1: 0, n2: 0, n3: 100, n4: 0 });
  });
  test('preferred anti-affinity pushes away from them', () => {
    const p = pod('p', 'web').PodAffinity('podAntiAffinity', term('web', 'zone'), 50).Obj();
    assert.deepEqual(runPlugin(interPodAffinity, p, nodes, [pod('w1', 'web', 'n1').Obj()]).scores, { n1: 0, n2: 0, n3: 100, n4: 100 });
  });
  test('weights add up across terms', () => {
    const p = pod('p', 'web').PodAffinity('podAffinity', term('db', 'zone'), 30).PodAffinity('podAffinity', term('cache', 'zone'), 90).Obj();
    const running = [pod('db', 'db', 'n1').Obj(), pod('cache', 'cache', 'n3').Obj()];
    assert.deepEqual(runPlugin(interPodAffinity, p, nodes, running).scores, { n1: 33, n2: 33, n3: 100, n4: 0 });
  });
  test('existing pods\' affinity terms that match the incoming pod count too (symmetry)', () => {
    const wantsWeb = pod('db', 'db', 'n3').PodAffinity('podAffinity', term('web', 'zone')).Obj();
    assert.deepEqual(runPlugin(interPodAffinity, pod('p', 'web').Obj(), nodes, [wantsWeb]).scores, { n1: 0, n2: 0, n3: 100, n4: 0 });
    const avoidsWeb = pod('db', 'db', 'n1').PodAffinity('podAntiAffinity', term('web', 'zone'), 10).Obj();
    assert.deepEqual(runPlugin(interPodAffinity, pod('p', 'web').Obj(), nodes, [avoidsWeb]).scores, { n1: 0, n2: 0, n3: 100, n4: 100 });
  });
  test('no terms anywhere: no preference', () => {
    assert.deepEqual(runPlugin(interPodAffinity, pod('p', 'web').Obj(), nodes, [pod('db', 'db', 'n1').Obj()]).scores, { n1: 0, n2: 0, n3: 0, n4: 0 });
  });
});
