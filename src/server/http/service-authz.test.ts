import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Identity } from './auth.js';
import { allowed, type Action } from './authz.js';

const edge: Identity = { name: 'system:node:edge-1', role: 'node' };
const join: Identity = { name: 'node-join-token', role: 'join' };

// The proxy and DNS on every node read every Service and EndpointSlice; only the admin (and the
// controllers in the server) write them: a node that could would steer any Service's traffic.
const cases: [Identity, Action, boolean][] = [
  [edge, { verb: 'list', resource: 'services' }, true],
  [edge, { verb: 'watch', resource: 'services' }, true],
  [edge, { verb: 'get', resource: 'services', namespace: 'default', name: 'web' }, true],
  [edge, { verb: 'list', resource: 'endpointslices' }, true],
  [edge, { verb: 'watch', resource: 'endpointslices' }, true],
  [edge, { verb: 'create', resource: 'services', namespace: 'default', name: 'evil' }, false],
  [edge, { verb: 'update', resource: 'services', namespace: 'default', name: 'web' }, false],
  [edge, { verb: 'delete', resource: 'services', namespace: 'default', name: 'web' }, false],
  [edge, { verb: 'updateStatus', resource: 'services', namespace: 'default', name: 'web' }, false],
  [edge, { verb: 'create', resource: 'endpointslices', namespace: 'default', name: 'web-x' }, false],
  [edge, { verb: 'update', resource: 'endpointslices', namespace: 'default', name: 'web-abcde' }, false],
  [edge, { verb: 'delete', resource: 'endpointslices', namespace: 'default', name: 'web-abcde' }, false],
  [join, { verb: 'list', resource: 'services' }, false],
  [join, { verb: 'watch', resource: 'endpointslices' }, false],
];

describe('authorization of Services and EndpointSlices', () => {
  for (const [id, action, want] of cases) {
    test(`${id.name} ${action.verb} ${action.resource}: ${want ? 'allowed' : 'forbidden'}`, () => {
      assert.equal(allowed(id, action), want);
    });
  }
});
