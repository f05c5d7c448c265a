import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authorize } from '../http/authz.js';
import type { Identity } from '../http/auth.js';

test('only the admin may read or write Leases: a node or the join token cannot depose the leader', () => {
  const node: Identity = { name: 'system:node:n1', role: 'node' };
  const join: Identity = { name: 'join', role: 'join' };
  for (const verb of ['create', 'update', 'delete', 'get', 'list', 'watch'] as const) {
    assert.throws(() => authorize(node, { verb, resource: 'leases', namespace: 'lantern-system', name: 'lantern-leader' }), /may not/);
    assert.throws(() => authorize(join, { verb, resource: 'leases', namespace: 'lantern-system', name: 'lantern-leader' }), /may not/);
  }
  authorize({ name: 'admin', role: 'admin' }, { verb: 'update', resource: 'leases', namespace: 'lantern-system', name: 'lantern-leader' });
});
