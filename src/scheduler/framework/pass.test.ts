import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/pod.js';
import { MakeNode, MakePod } from '../testing/builders.js';
import { SchedulerCache, podKey } from '../cache.js';
import { runPass, type Outcome, type PassHost } from './pass.js';
import { PodsToActivate, podsToActivateKey, type PermitPlugin } from './permit.js';
import type { FilterPlugin, Profile } from './plugin.js';
import { success, unschedulable } from './status.js';

/** One pod per node. */
const onePerNode: FilterPlugin = { name: 'OnePerNode', filter: (_pod, node) => (node.pods.length === 0 ? success : unschedulable('node(s) were full')) };

/** A cache with two nodes and the given pending pods, and a pass host over it. */
function setup(pods: Pod[]): { cache: SchedulerCache; host: PassHost } {
  const cache = new SchedulerCache();
  for (const n of ['a', 'b']) cache.setNode(MakeNode().Name(n).Obj());
  for (const p of pods) cache.setPod(p);
  return { cache, host: { snapshot: () => cache.snapshot(), assume: (p, n) => cache.assume(p, n), forget: (p) => cache.forget(p), take: (p) => cache.getPod(podKey(p)) } };
}
const profile = (permit: PermitPlugin): Profile => ({ filters: [onePerNode], scores: [], permits: [permit] });
const show = (o: Outcome): string => `${o.pod.metadata.name}:${o.kind}${o.kind === 'bind' ? `@${o.node}` : o.kind === 'rejected' ? `(${o.message})` : ''}`;
const placedPods = (cache: SchedulerCache): number => cache.snapshot().nodes.reduce((n, i) => n + i.pods.length, 0);

describe('a scheduling pass (Permit)', () => {
  test('Permit Success binds at once; a Permit rejection undoes the reservation', () => {
    const pod = MakePod().Name('p').Obj();
    const yes = setup([pod]);
    assert.deepEqual(runPass(pod, profile({ name: 'Yes', permit: () => ({ code: 'Success' }) }), yes.host).outcomes.map(show), ['p:bind@a']);
    assert.equal(placedPods(yes.cache), 1, 'the bound pod stays reserved');
    const no = setup([pod]);
    assert.deepEqual(runPass(pod, profile({ name: 'No', permit: () => ({ code: 'Unschedulable', message: 'not today' }) }), no.host).outcomes.map(show), ['p:rejected(not today)']);
    assert.equal(placedPods(no.cache), 0);
  });

  test('a pod still waiting when the pass ends goes to its plugin\'s Unreserve, else is rejected; no reservation outlives the pass', () => {
    const pod = MakePod().Name('p').Obj();
    const unreserved: string[] = [];
    const waitForever: PermitPlugin = { name: 'Forever', permit: () => ({ code: 'Wait' }), unreserve: (p) => { unreserved.push(p.metadata.name); } };
    const s = setup([pod]);
    const result = runPass(pod, profile(waitForever), s.host);
    assert.deepEqual(unreserved, ['p']);
    assert.deepEqual(result.outcomes.map(show), ['p:rejected(the scheduling pass ended before a Permit plugin allowed the pod)']);
    assert.equal(placedPods(s.cache), 0);
  });

  test('a plugin allows the pods it made wait; a pod without a node it held comes out unplaced', () => {
    const a = MakePod().Name('a').Obj();
    const b = MakePod().Name('b').Obj();
    const c = MakePod().Name('c').Obj();
    // Wait until three pods were seen, then let every waiting one go; c finds no node (two nodes, one
    // pod each) and waits until the pass ends, when Unreserve lets it go too.
    let seen = 0;
    const three: PermitPlugin = {
      name: 'Three',
      permit: () => (++seen < 3 ? { code: 'Wait' } : { code: 'Success' }),
      postFilter: (_p, _d, _s, handle) => { if (++seen >= 3) handle.waiting.allow(() => true); return 'wait'; },
      unreserve: (_p, handle) => handle.waiting.allow(() => true),
    };
    const s = setup([a, b, c]);
    const activateAll: Profile = { ...profile(three), preFilters: [{ name: 'All', preFilter: (_p, _snap, state) => { state.write(podsToActivateKey, new PodsToActivate('all', () => [a, b, c])); return success; } }] };
    assert.deepEqual(runPass(a, activateAll, s.host).outcomes.map(show), ['a:bind@a', 'b:bind@b', 'c:unplaced']);
  });
});
