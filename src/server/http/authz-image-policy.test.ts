import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowed } from './authz.js';
import type { Identity } from './auth.js';

const node: Identity = { name: 'system:node:n1', role: 'node' };
const join: Identity = { name: 'join', role: 'join' };

test('a node reads and watches ClusterImagePolicies (it enforces them) but never writes one', () => {
  for (const verb of ['get', 'list', 'watch'] as const) assert.equal(allowed(node, { verb, resource: 'clusterimagepolicies' }), true, verb);
  for (const verb of ['create', 'update', 'delete'] as const) assert.equal(allowed(node, { verb, resource: 'clusterimagepolicies', name: 'p' }), false, verb);
});

test('the join identity may not read or write them; the admin may do both', () => {
  assert.equal(allowed(join, { verb: 'list', resource: 'clusterimagepolicies' }), false);
  assert.equal(allowed(join, { verb: 'create', resource: 'clusterimagepolicies' }), false);
  assert.equal(allowed({ name: 'admin', role: 'admin' }, { verb: 'create', resource: 'clusterimagepolicies' }), true);
});
