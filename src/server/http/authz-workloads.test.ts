/** StatefulSets, DaemonSets and ControllerRevisions are the admin's: a node or a join token may not read or write them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Identity } from './auth.js';
import { allowed, type Verb } from './authz.js';

const admin: Identity = { name: 'admin', role: 'admin' };
const edge: Identity = { name: 'system:node:edge-1', role: 'node' };
const join: Identity = { name: 'node-join-token', role: 'join' };
const verbs: Verb[] = ['get', 'list', 'watch', 'create', 'update', 'updateStatus', 'delete'];

test('only the admin may use statefulsets, daemonsets and controllerrevisions; a node may not (it could place pods on every node)', () => {
  for (const resource of ['statefulsets', 'daemonsets', 'controllerrevisions']) {
    for (const verb of verbs) {
      assert.equal(allowed(admin, { verb, resource, namespace: 'default', name: 'x' }), true, `admin ${verb} ${resource}`);
      assert.equal(allowed(edge, { verb, resource, namespace: 'default', name: 'x' }), false, `node ${verb} ${resource}`);
      assert.equal(allowed(join, { verb, resource, namespace: 'default', name: 'x' }), false, `join ${verb} ${resource}`);
    }
  }
});
