import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../api/errors.js';
import type { Identity } from './auth.js';
import { allowed, authorize, type Action } from './authz.js';

const admin: Identity = { name: 'admin', role: 'admin' };
const edge: Identity = { name: 'system:node:edge-1', role: 'node' };
const join: Identity = { name: 'node-join-token', role: 'join' };

const cases: [Identity, Action, boolean][] = [
  [admin, { verb: 'delete', resource: 'nodes', name: 'edge-2' }, true],
  [admin, { verb: 'exec', resource: 'pods', namespace: 'default', name: 'p' }, true],
  [admin, { verb: 'watch', resource: 'pods' }, true],
  [edge, { verb: 'get', resource: 'nodes', name: 'edge-2' }, true],
  [edge, { verb: 'list', resource: 'pods' }, true],
  [edge, { verb: 'get', resource: 'pods', namespace: 'default', name: 'p' }, true],
  [edge, { verb: 'watch', resource: 'nodes' }, true],
  [edge, { verb: 'create', resource: 'events', namespace: 'default', name: 'p.1a2b' }, true],
  [edge, { verb: 'update', resource: 'events', namespace: 'default', name: 'p.1a2b' }, true],
  [edge, { verb: 'delete', resource: 'events', namespace: 'default', name: 'p.1a2b' }, false],
  [edge, { verb: 'watch', resource: 'pods', fieldSelector: 'spec.nodeName=edge-1' }, true],
  [edge, { verb: 'watch', resource: 'pods', fieldSelector: 'metadata.name=x,spec.nodeName==edge-1' }, true],
  // Every pod's IP and labels for NetworkPolicy enforcement (it may list them all anyway); not one namespace's, not another node's.
  [edge, { verb: 'watch', resource: 'pods' }, true],
  [edge, { verb: 'watch', resource: 'pods', namespace: 'default' }, false],
  [edge, { verb: 'list', resource: 'networkpolicies' }, true],
  [edge, { verb: 'watch', resource: 'networkpolicies' }, true],
  [edge, { verb: 'create', resource: 'networkpolicies', namespace: 'default', name: 'allow-all' }, false],
  [edge, { verb: 'update', resource: 'networkpolicies', namespace: 'default', name: 'deny' }, false],
  [edge, { verb: 'delete', resource: 'networkpolicies', namespace: 'default', name: 'deny' }, false],
  [join, { verb: 'list', resource: 'networkpolicies' }, false],
  [edge, { verb: 'watch', resource: 'pods', fieldSelector: 'spec.nodeName=edge-2' }, false],
  [edge, { verb: 'create', resource: 'nodes', name: 'edge-1' }, true],
  [edge, { verb: 'update', resource: 'nodes', name: 'edge-1' }, true],
  [edge, { verb: 'updateStatus', resource: 'nodes', name: 'edge-1' }, true],
  [edge, { verb: 'create', resource: 'nodes', name: 'edge-2' }, false],
  [edge, { verb: 'update', resource: 'nodes', name: 'edge-2' }, false],
  [edge, { verb: 'updateStatus', resource: 'nodes', name: 'edge-2' }, false],
  [edge, { verb: 'delete', resource: 'nodes', name: 'edge-1' }, false],
  [edge, { verb: 'updateStatus', resource: 'pods', name: 'p', podNodeName: 'edge-1' }, true],
  [edge, { verb: 'delete', resource: 'pods', name: 'p', podNodeName: 'edge-1' }, true],
  [edge, { verb: 'updateStatus', resource: 'pods', name: 'p', podNodeName: 'edge-2' }, false],
  [edge, { verb: 'delete', resource: 'pods', name: 'p', podNodeName: 'edge-2' }, false],
  [edge, { verb: 'delete', resource: 'pods', name: 'p' }, false],
  [edge, { verb: 'update', resource: 'pods', name: 'p', podNodeName: 'edge-1' }, false],
  [edge, { verb: 'create', resource: 'pods', name: 'p' }, false],
  [edge, { verb: 'bind', resource: 'pods', name: 'p' }, false],
  [edge, { verb: 'exec', resource: 'pods', name: 'p' }, false],
  [admin, { verb: 'portforward', resource: 'pods', namespace: 'default', name: 'p' }, true],
  [edge, { verb: 'portforward', resource: 'pods', name: 'p', podNodeName: 'edge-1' }, false],
  [edge, { verb: 'images', resource: 'images' }, false],
  [edge, { verb: 'join', resource: 'nodes' }, false],
  [edge, { verb: 'get', resource: 'podgroups', namespace: 'default', name: 'train' }, true],
  [edge, { verb: 'watch', resource: 'configmaps', namespace: 'default', fieldSelector: 'metadata.name=app', referencedByNode: true }, true],
  [edge, { verb: 'list', resource: 'secrets', namespace: 'default', fieldSelector: 'metadata.name=db', referencedByNode: true }, true],
  [edge, { verb: 'watch', resource: 'configmaps', namespace: 'default', fieldSelector: 'metadata.name=app', referencedByNode: false }, false],
  [edge, { verb: 'list', resource: 'secrets', namespace: 'default', referencedByNode: true }, false],
  [edge, { verb: 'watch', resource: 'secrets', fieldSelector: 'metadata.name=db', referencedByNode: true }, false],
  [edge, { verb: 'watch', resource: 'pods', namespace: 'default', gangMemberOnNode: true }, true],
  [edge, { verb: 'watch', resource: 'pods', namespace: 'default', gangMemberOnNode: false }, false],
  // A cluster-wide watch is the NetworkPolicy rule's (every pod), whatever the gang facts.
  [edge, { verb: 'watch', resource: 'pods', gangMemberOnNode: true }, true],
  [edge, { verb: 'update', resource: 'podgroups', namespace: 'default', name: 'train' }, false],
  [join, { verb: 'join', resource: 'nodes' }, true],
  [join, { verb: 'get', resource: 'nodes', name: 'edge-1' }, false],
  [join, { verb: 'list', resource: 'pods' }, false],
  [join, { verb: 'create', resource: 'nodes', name: 'edge-1' }, false],
];

describe('authorization rules', () => {
  for (const [id, action, want] of cases) {
    test(`${id.name} ${action.verb} ${action.resource}${action.name ? ` ${action.name}` : ''}${action.fieldSelector ? ` ${action.fieldSelector}` : ''}${action.podNodeName ? ` (pod on ${action.podNodeName})` : ''}: ${want ? 'allowed' : 'forbidden'}`, () => {
      assert.equal(allowed(id, action), want);
    });
  }

  test('a refusal is Forbidden and names the identity and the action', () => {
    assert.throws(() => authorize(edge, { verb: 'update', resource: 'nodes', name: 'edge-2' }), (e: unknown) => {
      assert.ok(e instanceof ApiError);
      assert.equal(e.status, 403);
      assert.match(e.message, /system:node:edge-1 may not update nodes "edge-2"/);
      return true;
    });
  });
});
