import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Identity } from '../http/auth.js';
import { RbacAuthorizer } from './authorizer.js';
import { defaultClusterRoleBindings, defaultClusterRoles } from './defaults.js';

const group = 'rbac.authorization.k8s.io';

function fixture(): RbacAuthorizer {
  const a = new RbacAuthorizer();
  for (const r of defaultClusterRoles) a.index.putRole(r);
  for (const b of defaultClusterRoleBindings) a.index.putBinding(b);
  const bind = (name: string, ns: string, role: string, user: string): void => a.index.putBinding({ apiVersion: `${group}/v1`, kind: 'RoleBinding', metadata: { name, namespace: ns }, roleRef: { apiGroup: group, kind: 'ClusterRole', name: role }, subjects: [{ kind: 'User', name: user }] });
  bind('ed', 'team-a', 'edit', 'ed');
  bind('ad', 'team-a', 'admin', 'ada');
  a.index.putRole({ apiVersion: `${group}/v1`, kind: 'ClusterRole', metadata: { name: 'binder' }, rules: [{ apiGroups: [group], resources: ['rolebindings'], verbs: ['create'] }, { apiGroups: [group], resources: ['clusterroles'], verbs: ['bind'], resourceNames: ['admin'] }] });
  bind('bi', 'team-a', 'binder', 'bo');
  return a;
}

const u = (name: string): Identity => ({ name, role: 'user', groups: ['system:authenticated'] });
const rb = (ns: string, roleName: string) => ({ apiVersion: `${group}/v1`, kind: 'RoleBinding', metadata: { name: 'x', namespace: ns }, roleRef: { apiGroup: group, kind: 'ClusterRole', name: roleName }, subjects: [{ kind: 'User', name: 'mallory' }] });
const roleWith = (ns: string, verbs: string[], resources: string[]) => ({ apiVersion: `${group}/v1`, kind: 'Role', metadata: { name: 'r', namespace: ns }, rules: [{ apiGroups: [''], resources, verbs }] });

describe('escalation prevention', () => {
  const a = fixture();
  test('an admin of a namespace may bind edit or admin there, not elsewhere, and not cluster-admin', () => {
    assert.equal(a.checkWrite(u('ada'), 'rolebindings', rb('team-a', 'edit')).allowed, true);
    assert.equal(a.checkWrite(u('ada'), 'rolebindings', rb('team-a', 'admin')).allowed, true);
    assert.equal(a.checkWrite(u('ada'), 'rolebindings', rb('team-b', 'edit')).allowed, false);
    const d = a.checkWrite(u('ada'), 'rolebindings', rb('team-a', 'cluster-admin'));
    assert.equal(d.allowed, false);
    assert.match(d.reason, /user "ada" .* is attempting to grant RBAC permissions not currently held in the namespace "team-a"/);
  });
  test('an edit user cannot grant admin (it lacks the RBAC rules admin holds)', () => {
    const d = a.checkWrite(u('ed'), 'rolebindings', rb('team-a', 'admin'));
    assert.equal(d.allowed, false);
    assert.match(d.reason, /roles/);
  });
  test('a Role with rules the writer holds passes; one with more is refused', () => {
    assert.equal(a.checkWrite(u('ada'), 'roles', roleWith('team-a', ['get', 'list'], ['pods'])).allowed, true);
    assert.equal(a.checkWrite(u('ada'), 'roles', roleWith('team-a', ['*'], ['pods'])).allowed, false); // "*" is held only as "*"
    assert.equal(a.checkWrite(u('ada'), 'roles', roleWith('team-a', ['list'], ['nodes'])).allowed, false); // nodes are not in admin
  });
  test('the bind verb on a role lets its holder bind it without holding it', () => {
    assert.equal(a.checkWrite(u('bo'), 'rolebindings', rb('team-a', 'admin')).allowed, true);
    assert.equal(a.checkWrite(u('bo'), 'rolebindings', rb('team-a', 'edit')).allowed, false);
  });
  test('a binding to a role that does not exist is refused with a clear reason', () => {
    assert.match(a.checkWrite(u('ada'), 'rolebindings', { ...rb('team-a', 'edit'), roleRef: { apiGroup: group, kind: 'Role', name: 'nope' } }).reason, /does not exist/);
  });
  test('a malformed object is left to the schema (a 422 naming the field), never a crash', () => {
    for (const bad of [{ rules: 'x' }, { rules: [{ verbs: 'get' }] }, { roleRef: 5 }, null, 'text']) {
      assert.doesNotThrow(() => a.checkWrite(u('ed'), 'roles', bad));
      assert.doesNotThrow(() => a.checkWrite(u('ed'), 'rolebindings', bad));
    }
  });
  test('system:masters may grant anything', () => {
    assert.equal(a.checkWrite({ name: 'root', role: 'user', groups: ['system:masters'] }, 'clusterrolebindings', { ...rb('', 'cluster-admin'), kind: 'ClusterRoleBinding' }).allowed, true);
  });
});
