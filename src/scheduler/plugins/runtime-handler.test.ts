import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import type { RuntimeClass } from '../../api/schema/runtime-class.js';
import { SchedulerCache } from '../cache.js';
import { CycleState } from '../framework/cycle-state.js';
import { filterNodes } from '../framework/cycle.js';
import { podRequests } from '../framework/node-info.js';
import type { Profile } from '../framework/plugin.js';
import { MakeNode, MakePod } from '../testing/builders.js';
import { runtimeClassStoreKey, runtimeHandler } from './runtime-handler.js';

const profile: Profile = { preFilters: [runtimeHandler], filters: [runtimeHandler], scores: [] };
const rc = (name: string, handler: string): RuntimeClass => ({ apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name }, handler });
const withClass = (cls?: string): Pod => {
  const p = MakePod().Name('p').Obj();
  p.metadata.uid = 'uid-p';
  if (cls) p.spec.runtimeClassName = cls;
  return p;
};

/** Nodes n1 (runc, runsc) and n2 (nothing reported: runc only); the classes; the pod's filter result. */
function run(pod: Pod, classes: RuntimeClass[]): { feasible: string[]; reasons: string[] } {
  const cache = new SchedulerCache([runtimeClassStoreKey]);
  const n1: Node = MakeNode().Name('n1').Capacity({ cpu: '4', memory: '8Gi' }).Obj();
  n1.status!.runtimeHandlers = [{ name: 'runc' }, { name: 'runsc' }];
  cache.setNode(n1);
  cache.setNode(MakeNode().Name('n2').Capacity({ cpu: '4', memory: '8Gi' }).Obj());
  for (const object of classes) cache.objectChanged('runtimeclasses', { type: 'ADDED', object });
  const r = filterNodes(pod, cache.snapshot(), profile, new CycleState());
  return { feasible: r.feasible.map((n) => n.name), reasons: [...r.statuses.values()].flatMap((s) => s.reasons) };
}

describe('RuntimeHandler plugin', () => {
  test('a pod without a class fits every node', () => {
    assert.deepEqual(run(withClass(), []).feasible, ['n1', 'n2']);
  });

  test('runsc fits only the node that reports it; a node that reports nothing runs runc', () => {
    const g = run(withClass('gvisor'), [rc('gvisor', 'runsc')]);
    assert.deepEqual(g.feasible, ['n1']);
    assert.deepEqual(g.reasons, ['node(s) do not support runtime handler "runsc"']);
    assert.deepEqual(run(withClass('plain'), [rc('plain', 'runc')]).feasible, ['n1', 'n2']);
  });

  test('a class that is gone keeps the pod off every node, saying so', () => {
    const r = run(withClass('gone'), []);
    assert.deepEqual(r.feasible, []);
    assert.match(r.reasons.join(), /runtimeclass.node.k8s.io "gone" not found/);
  });

  test('creating the class wakes the pods waiting for it', () => {
    const cache = new SchedulerCache([runtimeClassStoreKey]);
    const pod = withClass('later');
    cache.setPod(pod);
    const woken = cache.objectChanged('runtimeclasses', { type: 'ADDED', object: rc('later', 'runsc') });
    assert.deepEqual(woken?.map((p) => p.metadata.name), ['p']);
  });

  test('spec.overhead counts in the pod\'s requests', () => {
    const p = MakePod().Name('o').Obj();
    p.spec.containers[0]!.resources = { requests: { cpu: '100m', memory: '64Mi' } };
    p.spec.overhead = { cpu: '250m', memory: '120Mi' };
    const r = podRequests(p);
    assert.equal(r.cpu, 350);
    assert.equal(r.memory, (64 + 120) * 1024 * 1024);
  });
});
