import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../api/errors.js';
import type { ApiObject } from '../api/meta.js';
import type { Namespace } from '../api/schema/namespace.js';
import { openTestApi } from '../testing/api.js';
import { adoptUsedNamespaces, ensureSystemNamespaces } from './namespace-lifecycle.js';

const cm = (name: string, namespace: string): ApiObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace } } as ApiObject);

test('with NamespaceLifecycle, a create needs a live namespace; system namespaces stay', async () => {
  const t = await openTestApi({ namespaceLifecycle: true });
  try {
    assert.deepEqual(await ensureSystemNamespaces(t.api), ['default', 'lantern-system']);
    assert.deepEqual(await ensureSystemNamespaces(t.api), [], 'a second start makes nothing');
    await t.api.create('configmaps', cm('a', 'default'));
    await assert.rejects(t.api.create('configmaps', cm('a', 'team')), (e: unknown) => e instanceof ApiError && e.code === 'NotFound' && /namespaces "team" not found/.test(e.message));
    await t.api.create<Namespace>('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    await t.api.create('configmaps', cm('a', 'team'));
    await t.api.delete('namespaces', 'team');
    const marked = await t.api.get<Namespace>('namespaces', 'team');
    assert.ok(marked.metadata.deletionTimestamp, 'the finalizer holds it');
    await assert.rejects(t.api.create('configmaps', cm('b', 'team')), (e: unknown) => e instanceof ApiError && e.code === 'Forbidden' && /being terminated/.test(e.message));
    await assert.rejects(t.api.delete('namespaces', 'default'), (e: unknown) => e instanceof ApiError && e.code === 'Forbidden');
  } finally { await t.close(); }
});

test('an older data directory: the namespaces its objects use become Namespaces', async () => {
  const t = await openTestApi();
  try {
    await t.api.create('configmaps', cm('a', 'legacy'));
    await t.api.create('configmaps', cm('b', 'default'));
    const api = t.apiWith({ namespaceLifecycle: true });
    assert.deepEqual(await ensureSystemNamespaces(api), ['default', 'lantern-system']);
    assert.deepEqual(await adoptUsedNamespaces(api), ['legacy']);
    assert.equal((await api.get<Namespace>('namespaces', 'legacy')).status?.phase, 'Active');
  } finally { await t.close(); }
});
