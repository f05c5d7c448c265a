import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StatefulSet } from '../schema/statefulset.js';
import type { DaemonSet } from '../schema/daemonset.js';
import type { ControllerRevision } from '../schema/controllerrevision.js';
import type { Pod } from '../schema/pod.js';
import { statefulSetDescriber, statefulSetTable } from './statefulset.js';
import { daemonSetTable } from './daemonset.js';
import { controllerRevisionTable } from './controllerrevision.js';
import { describeText } from './describe.js';

const now = Date.parse('2026-01-01T01:00:00Z');
const meta = { name: 'web', namespace: 'default', uid: 'u1', creationTimestamp: '2026-01-01T00:00:00Z' };
const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1' }], nodeSelector: { edge: 'yes' } } };
const row = <T extends StatefulSet | DaemonSet | ControllerRevision>(cols: readonly { name: string; priority: number; cell(o: T, n: number): string }[], o: T): Record<string, string> =>
  Object.fromEntries(cols.map((c) => [c.name, c.cell(o, now)]));

test('get sts: NAME READY AGE, and CONTAINERS IMAGES with -o wide', () => {
  const s: StatefulSet = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template }, status: { replicas: 3, readyReplicas: 2 } };
  assert.deepEqual(row(statefulSetTable.columns, s), { Name: 'web', Ready: '2/3', Age: '60m', Containers: 'nginx', Images: 'nginx:1' });
  assert.deepEqual(statefulSetTable.columns.filter((c) => c.priority === 0).map((c) => c.name), ['Name', 'Ready', 'Age']);
});

test('get ds: kubectl\'s columns, the node selector shown', () => {
  const d: DaemonSet = {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta, spec: { selector: { matchLabels: { app: 'web' } }, template },
    status: { desiredNumberScheduled: 4, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 1, numberAvailable: 2, numberMisscheduled: 0 },
  };
  const r = row(daemonSetTable.columns, d);
  assert.deepEqual(daemonSetTable.columns.filter((c) => c.priority === 0).map((c) => c.name), ['Name', 'Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age']);
  assert.deepEqual([r.Desired, r.Current, r.Ready, r['Up-to-date'], r.Available, r['Node Selector'], r.Selector], ['4', '3', '2', '1', '2', 'edge=yes', 'app=web']);
});

test('get controllerrevisions: NAME CONTROLLER REVISION AGE', () => {
  const r: ControllerRevision = { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { ...meta, name: 'web-abc', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u1', controller: true }] }, revision: 2 };
  assert.deepEqual(row(controllerRevisionTable.columns, r), { Name: 'web-abc', Controller: 'statefulset.apps/web', Revision: '2', Age: '60m' });
});

test('describe sts: strategy, claims and the phases of its own pods', () => {
  const s: StatefulSet = {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta,
    spec: { replicas: 2, serviceName: 'nginx', selector: { matchLabels: { app: 'web' } }, template, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] },
  };
  const pod = (name: string, phase: string, uid = 'u1'): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid, controller: true }] }, spec: { containers: [] }, status: { phase } });
  const text = describeText(statefulSetDescriber, s, { related: { pods: [pod('web-0', 'Running'), pod('web-1', 'Pending'), pod('other', 'Running', 'u2')], events: [] }, now });
  assert.match(text, /Pods Status:\s+1 Running \/ 1 Waiting \/ 0 Succeeded \/ 0 Failed/);
  assert.match(text, /Partition:\s+1/);
  assert.match(text, /Service Name:\s+nginx/);
  assert.match(text, /Capacity:\s+1Gi/);
});
