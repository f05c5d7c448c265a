import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { planAdmission, dominantShare, type JobInfo, type QueueInfo } from './plan.js';
import type { Res } from './resources.js';

const cpu = (n: number, gpu = 0): Res => ({ cpu: n * 1000, memory: 0, gpu });
const inf: Res = { cpu: Infinity, memory: Infinity, gpu: Infinity };
const queue = (name: string, over: Partial<QueueInfo> = {}): QueueInfo => ({ name, weight: 1, quota: inf, reclaim: 'Any', ...over });
const job = (key: string, q: string, n: number, over: Partial<JobInfo> = {}): JobInfo => ({ key, queue: q, demand: cpu(n), priority: 0, created: 0, ...over });
const base = { capacity: cpu(12), now: 1000, backfillWindowMs: 60_000 };

describe('dominant resource fairness', () => {
  test('the dominant share is the largest fraction of any resource', () => {
    assert.equal(dominantShare({ cpu: 2000, memory: 0, gpu: 3 }, { cpu: 8000, memory: 100, gpu: 4 }), 0.75);
  });

  test('queues with weights 1:2 get the cluster 1:2', () => {
    const jobs = [...Array(12).keys()].flatMap((i) => [job(`a${i}`, 'a', 1, { created: i }), job(`b${i}`, 'b', 1, { created: i })]);
    const plan = planAdmission({ ...base, queues: [queue('a'), queue('b', { weight: 2 })], jobs });
    assert.equal(plan.admit.filter((k) => k.startsWith('a')).length, 4);
    assert.equal(plan.admit.filter((k) => k.startsWith('b')).length, 8);
    assert.equal(plan.queues.get('b')?.deservedShare, 2 / 3);
    assert.match(plan.waiting.get('a4') ?? '', /^queue a: cluster full \(cpu 12\/12 in use, the job needs 1\); 0 jobs ahead$/);
    assert.match(plan.waiting.get('a6') ?? '', /2 jobs ahead/);
  });

  test('the next job comes from the queue with the lowest dominant share, counting running jobs', () => {
    const jobs = [job('a-run', 'a', 6, { admittedAt: 1 }), job('a1', 'a', 1), job('b1', 'b', 1)];
    const plan = planAdmission({ ...base, capacity: cpu(8), queues: [queue('a'), queue('b')], jobs });
    assert.deepEqual(plan.admit, ['b1', 'a1']);
  });

  test('room is held for the neediest queue rather than given to a queue ahead of its share', () => {
    // a holds 2 of 8 (share 0.25), b holds 5 (0.625): a is neediest, its 2-cpu head needs room that b's 1-cpu job would take.
    const jobs = [job('a-run', 'a', 2, { admittedAt: 1 }), job('b-run', 'b', 5, { admittedAt: 1 }), job('a1', 'a', 2), job('b1', 'b', 1)];
    const plan = planAdmission({ ...base, capacity: cpu(8), queues: [queue('a'), queue('b')], jobs });
    assert.deepEqual(plan.admit, []);
    const huge = planAdmission({ ...base, capacity: cpu(8), queues: [queue('a'), queue('b')], jobs: [...jobs.slice(0, 2), job('a1', 'a', 20), job('b1', 'b', 1)] });
    assert.deepEqual(huge.admit, ['b1'], 'a head larger than the cluster holds nothing');
  });

  test('within a queue, higher priority first, then older', () => {
    const jobs = [job('old', 'a', 4, { created: 1 }), job('new', 'a', 4, { created: 2 }), job('urgent', 'a', 4, { created: 3, priority: 100 })];
    const plan = planAdmission({ ...base, capacity: cpu(8), queues: [queue('a')], jobs });
    assert.deepEqual(plan.admit, ['urgent', 'old']);
  });
});

describe('quota and cohorts', () => {
  test('a queue without a cohort stops at its quota and says so', () => {
    const plan = planAdmission({ ...base, queues: [queue('a', { quota: { ...inf, cpu: 4000 } })], jobs: [job('a1', 'a', 4), job('a2', 'a', 1)] });
    assert.deepEqual(plan.admit, ['a1']);
    assert.equal(plan.waiting.get('a2'), 'queue a: quota exhausted (cpu 4/4, the job needs 1); 0 jobs ahead');
  });

  test('a queue borrows the idle quota of its cohort, and no more', () => {
    const queues = [queue('a', { quota: { ...inf, cpu: 4000 }, cohort: 'c' }), queue('b', { quota: { ...inf, cpu: 4000 }, cohort: 'c' })];
    const plan = planAdmission({ ...base, queues, jobs: [job('a1', 'a', 4), job('a2', 'a', 3), job('a3', 'a', 2)] });
    assert.deepEqual(plan.admit, ['a1', 'a2']);
    assert.equal(plan.queues.get('a')?.borrowing, true);
    assert.match(plan.waiting.get('a3') ?? '', /cohort c has no idle quota \(cpu 7\/8/);
  });

  test('a lender takes its quota back: the most recently admitted borrowed jobs are suspended', () => {
    const queues = [queue('a', { quota: { ...inf, cpu: 4000 }, cohort: 'c' }), queue('b', { quota: { ...inf, cpu: 4000 }, cohort: 'c' })];
    const jobs = [job('a1', 'a', 4, { admittedAt: 1 }), job('a2', 'a', 2, { admittedAt: 2 }), job('a3', 'a', 2, { admittedAt: 3 }), job('b1', 'b', 2)];
    const plan = planAdmission({ ...base, queues, jobs });
    assert.deepEqual(plan.preempt.map((p) => p.key), ['a3']);
    assert.match(plan.preempt[0]!.reason, /queue b reclaims its quota for b1 \(a was borrowing\)/);
    assert.deepEqual(plan.admit, ['b1']);
  });

  test('reclaimWithinCohort Never keeps the borrower running; LowerPriority spares equal priority', () => {
    const jobs = [job('a1', 'a', 8, { admittedAt: 1 }), job('b1', 'b', 2)];
    for (const reclaim of ['Never', 'LowerPriority'] as const) {
      const queues = [queue('a', { quota: { ...inf, cpu: 4000 }, cohort: 'c' }), queue('b', { quota: { ...inf, cpu: 4000 }, cohort: 'c', reclaim })];
      const plan = planAdmission({ ...base, queues, jobs });
      assert.deepEqual([plan.preempt, plan.admit], [[], []], reclaim);
    }
  });

  test('a job of a queue that does not exist waits with the fix named', () => {
    const plan = planAdmission({ ...base, queues: [], jobs: [job('x', 'nope', 1)] });
    assert.match(plan.waiting.get('x') ?? '', /queue nope does not exist: create it/);
  });
});

describe('backfill', () => {
  test('a small job behind a large one that does not fit runs now', () => {
    const jobs = [job('run', 'a', 6, { admittedAt: 1 }), job('big', 'a', 8, { created: 1 }), job('small', 'a', 2, { created: 2 })];
    const plan = planAdmission({ ...base, capacity: cpu(10), queues: [queue('a')], jobs });
    assert.deepEqual(plan.admit, ['small']);
    assert.match(plan.waiting.get('big') ?? '', /cluster full/);
  });

  test('once the head has waited the backfill window, the room is kept for it', () => {
    const jobs = [job('run', 'a', 6, { admittedAt: 1 }), job('big', 'a', 8, { created: 0 }), job('small', 'a', 2, { created: 2 })];
    const plan = planAdmission({ ...base, now: 60_000, capacity: cpu(10), queues: [queue('a')], jobs });
    assert.deepEqual(plan.admit, []);
    assert.match(plan.waiting.get('small') ?? '', /waiting behind big; 1 job ahead/);
  });
});
