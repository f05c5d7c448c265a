import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rollingStep, scaleDownOld, scaleUpNew, type RsCounts } from './rolling.js';

const rs = (name: string, replicas: number, available: number, created = 0): RsCounts => ({ name, replicas, available, created });

test('the new ReplicaSet grows by at most maxSurge above the desired count', () => {
  const up = scaleUpNew({ replicas: 10, surge: 3, unavailable: 2, newRs: rs('new', 0, 0), oldRss: [rs('old', 10, 10)] });
  assert.deepEqual([...up], [['new', 3]]);
  // Already at replicas + surge: no more.
  assert.equal(scaleUpNew({ replicas: 10, surge: 3, unavailable: 2, newRs: rs('new', 3, 0), oldRss: [rs('old', 10, 10)] }).size, 0);
  // Never above the desired count itself.
  assert.deepEqual([...scaleUpNew({ replicas: 4, surge: 3, unavailable: 0, newRs: rs('new', 3, 3), oldRss: [rs('old', 0, 0)] })], [['new', 4]]);
});

test('old ReplicaSets shrink only while replicas - maxUnavailable stay available', () => {
  // 10 wanted, 2 may be unavailable; new has 3 pods, none available yet: old may lose 2 (of 10 available).
  const down = scaleDownOld({ replicas: 10, surge: 3, unavailable: 2, newRs: rs('new', 3, 0), oldRss: [rs('old', 10, 10)] });
  assert.deepEqual([...down], [['old', 8]]);
  // maxUnavailable 0: nothing goes until new pods are available.
  assert.equal(scaleDownOld({ replicas: 4, surge: 1, unavailable: 0, newRs: rs('new', 1, 0), oldRss: [rs('old', 4, 4)] }).size, 0);
  assert.deepEqual([...scaleDownOld({ replicas: 4, surge: 1, unavailable: 0, newRs: rs('new', 1, 1), oldRss: [rs('old', 4, 4)] })], [['old', 3]]);
});

test('unavailable old pods are removed first, and the oldest ReplicaSet shrinks first', () => {
  const down = scaleDownOld({ replicas: 4, surge: 3, unavailable: 0, newRs: rs('new', 3, 3), oldRss: [rs('mid', 2, 0, 2), rs('oldest', 2, 2, 1)] });
  // mid's two unavailable pods cost nothing; then one available pod of the oldest may go.
  assert.deepEqual(Object.fromEntries(down), { mid: 0, oldest: 1 });
});

test('a status that still counts pods scaled away does not let more go', () => {
  // old was just scaled 4 -> 3 but its status still says 4 available.
  assert.equal(scaleDownOld({ replicas: 4, surge: 1, unavailable: 0, newRs: rs('new', 1, 1), oldRss: [rs('old', 3, 4)] }).size, 0);
});

test('a step scales up first and scales down only when it cannot scale up', () => {
  const i = { replicas: 2, surge: 1, unavailable: 0, newRs: rs('new', 0, 0), oldRss: [rs('old', 2, 2)] };
  assert.deepEqual([...rollingStep(i)], [['new', 1]]);
  assert.deepEqual([...rollingStep({ ...i, newRs: rs('new', 1, 1) })], [['old', 1]]);
});

test('simulating a whole rollout keeps available >= replicas - maxUnavailable and total <= replicas + maxSurge', () => {
  for (const [replicas, surge, unavailable] of [[10, 3, 2], [5, 0, 1], [100, 25, 0], [3, 1, 1], [1, 1, 0]] as const) {
    let n = rs('new', 0, 0);
    let o = rs('old', replicas, replicas);
    for (let i = 0; i < 1000 && !(n.available === replicas && o.replicas === 0); i++) {
      const ch = rollingStep({ replicas, surge, unavailable, newRs: n, oldRss: [o] });
      // Pods follow the ReplicaSets: old pods go at once, new ones become available on the next step.
      n = ch.has('new') ? { ...n, replicas: ch.get('new')! } : { ...n, available: n.replicas };
      if (ch.has('old')) o = { ...o, replicas: ch.get('old')!, available: Math.min(o.available, ch.get('old')!) };
      assert.ok(n.replicas + o.replicas <= replicas + surge, `total ${n.replicas + o.replicas} > ${replicas + surge}`);
      assert.ok(n.available + o.available >= replicas - unavailable, `available ${n.available + o.available} < ${replicas - unavailable}`);
    }
    assert.equal(n.available, replicas);
    assert.equal(o.replicas, 0);
  }
});
