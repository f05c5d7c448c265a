import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowed } from './authz.js';
import type { Identity } from './auth.js';

test('a node may read Networks (to attach its pods) but never create, change or delete one; the join token may not read them', () => {
  const node = { role: 'node', name: 'system:node:n1' } as Identity;
  for (const verb of ['get', 'list', 'watch'] as const) assert.equal(allowed(node, { verb, resource: 'networks', name: 'front' }), true, verb);
  for (const verb of ['create', 'update', 'delete'] as const) assert.equal(allowed(node, { verb, resource: 'networks', name: 'front' }), false, verb);
  assert.equal(allowed({ role: 'join', name: 'join' } as Identity, { verb: 'get', resource: 'networks', name: 'front' }), false);
});
