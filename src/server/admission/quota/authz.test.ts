/**
 * ResourceQuotas and LimitRanges are the admin's (and, through RBAC, who a role allows): a node or a
 * join credential may neither read nor write them, so a compromised node cannot lift its namespace's
 * quota or reset what it has used (status.used, which admission charges).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Identity } from '../../http/auth.js';
import { allowed, type Verb } from '../../http/authz.js';

const admin: Identity = { name: 'admin', role: 'admin' };
const edge: Identity = { name: 'system:node:edge-1', role: 'node' };
const join: Identity = { name: 'node-join-token', role: 'join' };
const verbs: Verb[] = ['get', 'list', 'watch', 'create', 'update', 'updateStatus', 'delete'];

test('a node or join credential cannot read or write resourcequotas or limitranges; the admin can', () => {
  for (const resource of ['resourcequotas', 'limitranges']) {
    for (const verb of verbs) {
      const action = { verb, resource, namespace: 'team-a', name: 'team-a-quota' };
      assert.equal(allowed(admin, action), true, `admin ${verb} ${resource}`);
      assert.equal(allowed(edge, action), false, `node ${verb} ${resource}`);
      assert.equal(allowed(join, action), false, `join ${verb} ${resource}`);
    }
  }
});
