import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Identity } from './auth.js';
import { allowed, type Action } from './authz.js';

const node: Identity = { name: 'system:node:n1', role: 'node' };
const join: Identity = { name: 'join', role: 'join' };
const admin: Identity = { name: 'admin', role: 'admin' };

test('namespaces, evictions and metrics.k8s.io are the admin\'s alone: a node may not even evict its own pod', () => {
  const actions: Action[] = [
    { verb: 'list', resource: 'namespaces' },
    { verb: 'get', resource: 'namespaces', name: 'default' },
    { verb: 'create', resource: 'namespaces', name: 'x' },
    { verb: 'delete', resource: 'namespaces', name: 'x' },
    { verb: 'create', resource: 'pods/eviction', namespace: 'default', name: 'p', podNodeName: 'n1' },
    { verb: 'list', resource: 'metrics.k8s.io/nodes' },
    { verb: 'list', resource: 'metrics.k8s.io/pods', namespace: 'default' },
  ];
  for (const a of actions) {
    assert.equal(allowed(admin, a), true, `admin ${a.verb} ${a.resource}`);
    assert.equal(allowed(node, a), false, `node ${a.verb} ${a.resource}`);
    assert.equal(allowed(join, a), false, `join ${a.verb} ${a.resource}`);
  }
});
