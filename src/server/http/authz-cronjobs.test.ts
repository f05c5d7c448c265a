/** CronJobs are the admin's: a node credential may not create, update or delete them (it could start Jobs, so pods, on a schedule), nor may a join token. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../api/errors.js';
import type { Identity } from './auth.js';
import { allowed, authorize, type Verb } from './authz.js';

const admin: Identity = { name: 'admin', role: 'admin' };
const edge: Identity = { name: 'system:node:edge-1', role: 'node' };
const join: Identity = { name: 'node-join-token', role: 'join' };
const writes: Verb[] = ['create', 'update', 'updateStatus', 'delete'];

test('a node or join credential cannot create, update or delete cronjobs; the admin can', () => {
  for (const verb of writes) {
    const action = { verb, resource: 'cronjobs', namespace: 'default', name: 'nightly' };
    assert.equal(allowed(admin, action), true, `admin ${verb}`);
    assert.equal(allowed(edge, action), false, `node ${verb}`);
    assert.equal(allowed(join, action), false, `join ${verb}`);
  }
});

test('the refusal is a Forbidden API error that names the node and what it tried', () => {
  assert.throws(() => authorize(edge, { verb: 'create', resource: 'cronjobs', namespace: 'default', name: 'nightly' }),
    (e: unknown) => e instanceof ApiError && e.code === 'Forbidden' && /system:node:edge-1/.test(e.message) && /cronjobs/.test(e.message));
});
