import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Job } from '../schema/job.js';
import { jobKind } from './job.js';

const base = (spec: Partial<Job['spec']> = {}, restartPolicy: 'Never' | 'OnFailure' | 'Always' = 'Never'): Job => ({
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'default' },
  spec: { template: { spec: { restartPolicy, containers: [{ name: 'main', image: 'busybox' }] } }, ...spec },
});
const fields = (j: Job): string[] => jobKind.validate(j).map((c) => c.field);

test('Job validation names each wrong field', () => {
  assert.deepEqual(fields(base()), []);
  assert.deepEqual(fields(base({}, 'Always')), ['spec.template.spec.restartPolicy']);
  assert.deepEqual(fields(base({ completionMode: 'Indexed' })), ['spec.completions']);
  assert.deepEqual(fields(base({ maxFailedIndexes: 1 })), ['spec.maxFailedIndexes']);
  const policy = { rules: [{ action: 'FailIndex' as const, onExitCodes: { operator: 'In' as const, values: [0] } }] };
  assert.deepEqual(fields(base({ podFailurePolicy: policy }, 'OnFailure')), [
    'spec.template.spec.restartPolicy', 'spec.podFailurePolicy.rules[0].action', 'spec.podFailurePolicy.rules[0].onExitCodes.values',
  ]);
  assert.deepEqual(fields(base({ manualSelector: true })), ['spec.selector']);
  assert.deepEqual(fields(base({ parallelism: -1 })), ['spec.parallelism']);
});

test('Job defaults are Kubernetes\'; a work queue keeps completions unset; the template is immutable', () => {
  const j = base();
  jobKind.applyDefaults(j);
  assert.equal(j.spec.completions, 1);
  assert.equal(j.spec.parallelism, 1);
  assert.equal(j.spec.backoffLimit, 6);
  assert.equal(j.spec.template.metadata?.labels?.['batch.kubernetes.io/job-name'], 'j');
  const queue = base({ parallelism: 3 });
  jobKind.applyDefaults(queue);
  assert.equal(queue.spec.completions, undefined);
  const changed = structuredClone(j);
  changed.spec.template.spec.containers[0]!.image = 'other';
  changed.spec.parallelism = 4;
  assert.deepEqual(jobKind.validateUpdate?.(j, changed).map((c) => c.field), ['spec.template'], 'parallelism may change, the template may not');
});
