import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Job } from '../../api/schema/job.js';
import { jobTable } from '../../api/printers/job.js';
import { kindTable } from './kind-table.js';
import { hasCondition } from '../commands/wait.js';

const t0 = Date.parse('2026-01-01T00:00:00Z');
const at = (s: number): string => new Date(t0 + s * 1000).toISOString();
const job = (name: string, spec: Partial<Job['spec']>, status: Job['status']): Job => ({
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name, creationTimestamp: at(0) },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } }, ...spec }, status,
});

test('get jobs: kubectl columns, status words, completions and duration', () => {
  const t = kindTable(jobTable, [
    job('done', { completions: 3 }, { succeeded: 3, startTime: at(0), completionTime: at(12), conditions: [{ type: 'Complete', status: 'True' }] }),
    job('busy', { completions: 5 }, { succeeded: 2, startTime: at(10) }),
    job('queue', { parallelism: 3 }, { succeeded: 0, startTime: at(0) }),
    job('bad', { completions: 1 }, { failed: 7, startTime: at(0), conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] }),
    job('held', { completions: 1, suspend: true }, { conditions: [{ type: 'Suspended', status: 'True' }] }),
  ], { wide: false, namespaces: false, labels: false }, t0 + 60_000);
  assert.deepEqual(t.header, ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);
  assert.deepEqual(t.rows, [
    ['done', 'Complete', '3/3', '12s', '60s'],
    ['busy', 'Running', '2/5', '50s', '60s'],
    ['queue', 'Running', '0/1 of 3', '60s', '60s'],
    ['bad', 'Failed', '0/1', '60s', '60s'],
    ['held', 'Suspended', '0/1', '', '60s'],
  ]);
});

test('wait matches condition types case-insensitively, with the value defaulting to True', () => {
  const j = job('x', {}, { conditions: [{ type: 'Complete', status: 'True' }, { type: 'Suspended', status: 'False' }] });
  assert.ok(hasCondition(j, 'complete', 'True'));
  assert.ok(!hasCondition(j, 'failed', 'True'));
  assert.ok(hasCondition(j, 'Suspended', 'false'));
});
