import { test } from 'node:test';
import assert from 'node:assert/strict';
import { queueTable } from '../../api/printers/queue.js';
import { kindTable } from './kind-table.js';
import type { Queue } from '../../api/schema/queue.js';

test('queue list shows weight, counts, allocation, deserved and dominant share; -o wide adds quota and cohort', () => {
  const q: Queue = {
    apiVersion: 'lantern.dev/v1', kind: 'Queue', metadata: { name: 'team-a', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { weight: 2, quota: { cpu: '8' }, cohort: 'research' },
    status: { pending: 3, admitted: 4, allocated: { cpu: '10', memory: '256MiB', gpu: '0' }, deservedShare: 0.667, dominantShare: 0.5, borrowing: true },
  };
  const t = kindTable(queueTable, [q], { wide: true, namespaces: false, labels: false }, Date.parse('2026-01-01T00:05:00Z'));
  assert.deepEqual(t.header, ['NAME', 'WEIGHT', 'PENDING', 'RUNNING', 'ALLOCATED', 'DESERVED', 'SHARE', 'AGE', 'QUOTA', 'COHORT']);
  assert.deepEqual(t.rows[0], ['team-a', '2', '3', '4', '10/256MiB/0', '66.7%', '50% (borrowing)', '5m', 'cpu=8', 'research']);
});
