/**
 * The namespace controller against the in-process API (NamespaceLifecycle on) over a real SQLite
 * store; reconcile is called by hand, one step each.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openTestApi, type TestApi } from '../../testing/api.js';
import { ManualClock } from '../../testing/clock.js';
import type { ApiObject } from '../../api/meta.js';
import type { Namespace } from '../../api/schema/namespace.js';
import { ApiError } from '../../api/errors.js';
import { NamespaceController } from './index.js';

let t: TestApi;
before(async () => { t = await openTestApi({ prefix: 'lantern-k1-ns-', namespaceLifecycle: true }); });
after(() => t.close());

test('a deleted namespace shows Terminating, loses every object in it, then goes', async () => {
  const api = t.api;
  await api.create<Namespace>('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
  await api.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'team' } } as ApiObject);
  await api.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'team' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } as ApiObject);
  const controller = new NamespaceController({ api, clock: new ManualClock(0), log: () => undefined });
  await controller.reconcile('team');
  assert.equal((await api.get<Namespace>('namespaces', 'team')).status?.phase, 'Active', 'a live namespace is left alone');

  await api.delete('namespaces', 'team');
  await controller.reconcile('team');
  assert.equal((await api.get<Namespace>('namespaces', 'team')).status?.phase, 'Terminating');
  await controller.reconcile('team'); // deletes the two objects; they were still there when counted
  assert.deepEqual((await api.list('configmaps', 'team')).items, []);
  assert.deepEqual((await api.list('pods', 'team')).items, [], 'an unbound pod goes at once');
  await controller.reconcile('team'); // nothing left: the finalizer goes, and with it the namespace
  await assert.rejects(api.get('namespaces', 'team'), (e: unknown) => e instanceof ApiError && e.code === 'NotFound');
});
