import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withTestApi } from '../../testing/api.js';
import { ManualClock } from '../../testing/clock.js';
import type { ServiceAccount } from '../../api/schema/service-account.js';
import { ServiceAccountController } from './controller.js';

test('every namespace gets a default ServiceAccount, made again when deleted', async () => {
  await withTestApi(async (t) => {
    const c = new ServiceAccountController({ api: t.api, clock: new ManualClock(0), log: () => undefined });
    await t.api.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
    await c.reconcile('team-a');
    const sa = await t.api.get<ServiceAccount>('serviceaccounts', 'default', 'team-a');
    assert.equal(sa.metadata.namespace, 'team-a');
    await c.reconcile('team-a'); // again: no error, still one
    await t.api.delete('serviceaccounts', 'default', 'team-a');
    await c.reconcile('team-a');
    assert.equal((await t.api.list('serviceaccounts', 'team-a')).items.length, 1);
  });
});

test('a namespace that is gone or terminating gets none', async () => {
  await withTestApi(async (t) => {
    const c = new ServiceAccountController({ api: t.api, clock: new ManualClock(0), log: () => undefined });
    await c.reconcile('no-such-namespace');
    assert.equal((await t.api.list('serviceaccounts', 'no-such-namespace')).items.length, 0);
  });
});
