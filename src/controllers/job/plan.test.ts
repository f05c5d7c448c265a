import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/pod.js';
import type { Job } from '../../api/schema/job.js';
import { formatIndexes, parseIndexes } from './indexes.js';
import { backoffDelay } from './backoff.js';
import { matchRule } from './failure-policy.js';
import { planJob, podsWanted } from './plan.js';

test('index sets read and write Kubernetes\' "0-2,5" form', () => {
  assert.deepEqual([...parseIndexes('0-2,5')], [0, 1, 2, 5]);
  assert.equal(formatIndexes([5, 0, 2, 1]), '0-2,5');
  assert.equal(formatIndexes([7, 8]), '7,8', 'two in a row stay a list, as Kubernetes writes them');
  assert.equal(formatIndexes([]), '');
  assert.deepEqual([...parseIndexes('0-4', 3)], [0, 1, 2], 'indexes past completions are dropped');
  assert.deepEqual([...parseIndexes(undefined)], []);
});

test('back-off doubles from the base per failure and stops at the cap', () => {
  const o = { baseMs: 10_000, maxMs: 360_000 };
  assert.deepEqual([0, 1, 2, 3, 6, 7, 100].map((n) => backoffDelay(n, o)), [0, 10_000, 20_000, 40_000, 320_000, 360_000, 360_000]);
});

const failedPod = (codes: Record<string, number>, conditions: { type: string; status: 'True' | 'False' }[] = []): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', uid: 'u' }, spec: { containers: [{ name: 'main', image: 'x' }] },
  status: { phase: 'Failed', conditions, containerStatuses: Object.entries(codes).map(([name, exitCode]) => ({ name, ready: false, restartCount: 0, image: 'x', state: { terminated: { exitCode } } })) },
});

test('podFailurePolicy: the first matching rule wins; exit code 0 never matches; conditions match on type and status', () => {
  const rules = [
    { action: 'Ignore' as const, onPodConditions: [{ type: 'DisruptionTarget' }] },
    { action: 'FailJob' as const, onExitCodes: { containerName: 'main', operator: 'In' as const, values: [42] } },
    { action: 'Count' as const, onExitCodes: { operator: 'NotIn' as const, values: [1, 2] } },
  ];
  assert.equal(matchRule(rules, failedPod({ main: 42 }))?.rule.action, 'FailJob');
  assert.equal(matchRule(rules, failedPod({ side: 42 }))?.rule.action, 'Count', 'FailJob names container main only');
  assert.equal(matchRule(rules, failedPod({ main: 1 })), undefined);
  assert.equal(matchRule(rules, failedPod({ main: 0, side: 0 })), undefined, 'containers that exited 0 did not fail the pod');
  assert.equal(matchRule(rules, failedPod({ main: 42 }, [{ type: 'DisruptionTarget', status: 'True' }]))?.rule.action, 'Ignore');
  assert.equal(matchRule(rules, failedPod({ main: 1 }, [{ type: 'DisruptionTarget', status: 'False' }])), undefined);
});

test('pods wanted: min(parallelism, remaining completions); a work queue stops making pods after a success', () => {
  assert.equal(podsWanted(2, 5, 0, 0), 2);
  assert.equal(podsWanted(4, 5, 3, 2), 2);
  assert.equal(podsWanted(4, 5, 5, 0), 0);
  assert.equal(podsWanted(3, undefined, 0, 0), 3);
  assert.equal(podsWanted(3, undefined, 1, 2), 2, 'work queue: keep the running ones, make none');
});

const job = (spec: Partial<Job['spec']>, status?: Job['status']): Job => ({
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'default', uid: 'job-uid' },
  spec: { parallelism: 2, completions: 3, completionMode: 'Indexed', backoffLimit: 6, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'x' }] } }, ...spec },
  ...(status ? { status } : {}),
});

test('planning an Indexed Job: lowest free indexes first, a counted pod is never counted again', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  const ctx = { now, backoff: { baseMs: 10_000, maxMs: 60_000 } };
  const first = planJob(job({}), [], ctx);
  assert.deepEqual(first.create.map((c) => c.index), [0, 1]);
  const done: Pod = { ...failedPod({}), metadata: { name: 'j-0-a', uid: 'p0', annotations: { 'batch.kubernetes.io/job-completion-index': '0' } }, status: { phase: 'Succeeded' } };
  const second = planJob(job({}, first.status), [done], ctx);
  assert.equal(second.status.completedIndexes, '0');
  assert.equal(second.status.succeeded, 1);
  assert.deepEqual(second.create.map((c) => c.index), [1, 2]);
  const third = planJob(job({}, second.status), [done], ctx);
  assert.equal(third.status.succeeded, 1, 'the same pod seen again adds nothing');
});
