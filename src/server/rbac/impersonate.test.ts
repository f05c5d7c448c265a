import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import type { Identity } from '../http/auth.js';
import { impersonated } from './impersonate.js';
import { RbacAuthorizer } from './authorizer.js';

const req = (headers: Record<string, string | string[]>): IncomingMessage => ({ headers }) as unknown as IncomingMessage;
const admin: Identity = { name: 'admin', role: 'admin' };

describe('impersonation headers', () => {
  const rbac = new RbacAuthorizer();
  test('the admin may act as a user with groups; the user gets system:authenticated and the RBAC authorizer', () => {
    const id = impersonated(admin, req({ 'impersonate-user': 'alice', 'impersonate-group': ['dev', 'ops'] }), rbac)!;
    assert.equal(id.name, 'alice');
    assert.equal(id.role, 'user');
    assert.deepEqual(id.groups, ['dev', 'ops', 'system:authenticated']);
    assert.equal(id.authorizer, rbac);
  });
  test('a ServiceAccount user gets its groups', () => {
    assert.deepEqual(impersonated(admin, req({ 'impersonate-user': 'system:serviceaccount:ns1:bot' }), rbac)!.groups, ['system:serviceaccounts', 'system:serviceaccounts:ns1', 'system:authenticated']);
  });
  test('no headers: the caller as it is', () => {
    assert.equal(impersonated(admin, req({}), rbac), admin);
  });
  test('a node, the join token and a user without the impersonate verb may not', () => {
    for (const caller of [{ name: 'system:node:n1', role: 'node' }, { name: 'join', role: 'join' }, { name: 'bob', role: 'user', groups: [], authorizer: rbac }] as Identity[]) {
      assert.throws(() => impersonated(caller, req({ 'impersonate-user': 'admin-wannabe' }), rbac), /cannot impersonate/);
    }
  });
  test('a user granted impersonate on users may', () => {
    const r = new RbacAuthorizer();
    r.index.putRole({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'imp' }, rules: [{ apiGroups: [''], resources: ['users'], verbs: ['impersonate'], resourceNames: ['alice'] }] });
    r.index.putBinding({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'imp' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'imp' }, subjects: [{ kind: 'User', name: 'sup' }] });
    const sup: Identity = { name: 'sup', role: 'user', groups: [], authorizer: r };
    assert.equal(impersonated(sup, req({ 'impersonate-user': 'alice' }), r)!.name, 'alice');
    assert.throws(() => impersonated(sup, req({ 'impersonate-user': 'bob' }), r), /forbidden/);
    assert.throws(() => impersonated(sup, req({ 'impersonate-group': 'g' }), r), /needs Impersonate-User/);
  });
});
