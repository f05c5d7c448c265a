import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildBinding, buildRole, splitValues } from './build.js';

describe('lcctl create role/rolebinding objects (as kubectl builds them)', () => {
  test('one rule per API group; subresources and RESOURCE.GROUP kept; resourceNames on each rule', () => {
    const r = buildRole('r', 'team-a', { verbs: splitValues(['get,list', 'watch']), resources: splitValues(['pods,pods/log', 'deployments.apps']), resourceNames: ['web'], nonResourceURLs: [] });
    assert.equal(r.kind, 'Role');
    assert.deepEqual(r.rules, [
      { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods', 'pods/log'], resourceNames: ['web'] },
      { verbs: ['get', 'list', 'watch'], apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['web'] },
    ]);
  });
  test('a ClusterRole may name non-resource URLs; a Role may not; verbs are checked', () => {
    const c = buildRole('c', undefined, { verbs: ['get'], resources: [], resourceNames: [], nonResourceURLs: ['/metrics'] });
    assert.deepEqual(c.rules, [{ verbs: ['get'], nonResourceURLs: ['/metrics'] }]);
    assert.throws(() => buildRole('r', 'a', { verbs: ['get'], resources: ['pods'], resourceNames: [], nonResourceURLs: ['/metrics'] }), /only a ClusterRole/);
    assert.throws(() => buildRole('r', 'a', { verbs: ['fly'], resources: ['pods'], resourceNames: [], nonResourceURLs: [] }), /invalid verb "fly"/);
  });
  test('bindings: exactly one role, subjects of each kind, NS:NAME service accounts', () => {
    const b = buildBinding('b', 'team-a', { clusterRole: 'view', users: ['alice'], groups: ['devs'], serviceAccounts: ['team-a:bot'] });
    assert.deepEqual(b.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' });
    assert.deepEqual(b.subjects?.map((s) => `${s.kind}:${s.namespace ?? ''}:${s.name}`), ['User::alice', 'Group::devs', 'ServiceAccount:team-a:bot']);
    assert.throws(() => buildBinding('b', 'a', { role: 'r', clusterRole: 'c', users: [], groups: [], serviceAccounts: [] }), /exactly one/);
    assert.throws(() => buildBinding('b', undefined, { role: 'r', users: [], groups: [], serviceAccounts: [] }), /use --clusterrole/);
    assert.throws(() => buildBinding('b', 'a', { role: 'r', users: [], groups: [], serviceAccounts: ['bot'] }), /NAMESPACE:NAME/);
  });
});
