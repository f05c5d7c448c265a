import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, ReplicaSet } from '../../api/schema/apps.js';
import { deploymentTable, replicaSetTable } from '../../api/printers/apps.js';
import { selectorString } from '../../api/printers/labels.js';
import { kindTable } from './kind-table.js';

const now = Date.parse('2026-01-01T00:10:00Z');
const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'busybox:1' }, { name: 'side', image: 'busybox:2' }] } };
const d: Deployment = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'prod', creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template },
  status: { replicas: 4, updatedReplicas: 2, readyReplicas: 3, availableReplicas: 3 },
};

test('get deploy: NAME READY UP-TO-DATE AVAILABLE AGE; wide adds CONTAINERS IMAGES SELECTOR; -A adds NAMESPACE', () => {
  assert.deepEqual(kindTable(deploymentTable, [d], { wide: false, namespaces: false, labels: false }, now), { header: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'], rows: [['web', '3/3', '2', '3', '10m']] });
  const wide = kindTable(deploymentTable, [d], { wide: true, namespaces: true, labels: false }, now);
  assert.deepEqual(wide.header, ['NAMESPACE', 'NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
  assert.deepEqual(wide.rows[0], ['prod', 'web', '3/3', '2', '3', '10m', 'web,side', 'busybox:1,busybox:2', 'app=web']);
});

test('get rs: NAME DESIRED CURRENT READY AGE, and selectors print as kubectl does', () => {
  const rs: ReplicaSet = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-abc', creationTimestamp: '2026-01-01T00:09:30Z' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template }, status: { replicas: 1, readyReplicas: 0 } };
  assert.deepEqual(kindTable(replicaSetTable, [rs], { wide: false, namespaces: false, labels: false }, now).rows, [['web-abc', '2', '1', '0', '30s']]);
  assert.equal(selectorString({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'legacy', operator: 'DoesNotExist' }] }), 'app=web,tier in (a,b),!legacy');
});
