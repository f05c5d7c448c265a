import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, Subject } from '../../api/schema/rbac.js';
import type { Identity } from '../http/auth.js';
import { authorize } from '../http/authz.js';
import { ApiError } from '../../api/errors.js';
import { RbacAuthorizer } from './authorizer.js';
import { attributesOf } from './attributes.js';
import { defaultClusterRoleBindings, defaultClusterRoles } from './defaults.js';

const api = 'rbac.authorization.k8s.io/v1' as const;
const role = (ns: string, name: string, rules: PolicyRule[]): Role => ({ apiVersion: api, kind: 'Role', metadata: { name, namespace: ns }, rules });
const clusterRole = (name: string, rules: PolicyRule[], labels?: Record<string, string>): ClusterRole => ({ apiVersion: api, kind: 'ClusterRole', metadata: { name, ...(labels ? { labels } : {}) }, rules });
const binding = (ns: string, name: string, kind: 'Role' | 'ClusterRole', roleName: string, subjects: Subject[]): RoleBinding =>
  ({ apiVersion: api, kind: 'RoleBinding', metadata: { name, namespace: ns }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name: roleName }, subjects });
const clusterBinding = (name: string, roleName: string, subjects: Subject[]): ClusterRoleBinding =>
  ({ apiVersion: api, kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName }, subjects });
const user = (name: string): Subject => ({ kind: 'User', name });
const group = (name: string): Subject => ({ kind: 'Group', name });

/** An authorizer holding Kubernetes' docs examples plus the default roles. */
function fixture(): RbacAuthorizer {
  const a = new RbacAuthorizer();
  for (const r of defaultClusterRoles) a.index.putRole(r);
  for (const b of defaultClusterRoleBindings) a.index.putBinding(b);
  // docs: "pod-reader" Role in default, bound to jane.
  a.index.putRole(role('default', 'pod-reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'watch', 'list'] }]));
  a.index.putBinding(binding('default', 'read-pods', 'Role', 'pod-reader', [user('jane')]));
  // docs: "secret-reader" ClusterRole, bound in development to dave (RoleBinding) and cluster-wide to group manager.
  a.index.putRole(clusterRole('secret-reader', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'watch', 'list'] }]));
  a.index.putBinding(binding('development', 'read-secrets', 'ClusterRole', 'secret-reader', [user('dave')]));
  a.index.putBinding(clusterBinding('read-secrets-global', 'secret-reader', [group('manager')]));
  // docs: resourceNames: update/get one ConfigMap only.
  a.index.putRole(role('default', 'configmap-updater', [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['my-configmap'], verbs: ['update', 'get'] }]));
  a.index.putBinding(binding('default', 'cm', 'Role', 'configmap-updater', [user('carol')]));
  // docs: pods and pods/log; non-resource /healthz and /healthz/*.
  a.index.putRole(clusterRole('log-reader', [{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list'] }]));
  a.index.putRole(clusterRole('health', [{ nonResourceURLs: ['/metrics', '/healthz/*'], verbs: ['get'] }]));
  a.index.putBinding(clusterBinding('logs', 'log-reader', [user('lee')]));
  a.index.putBinding(clusterBinding('health', 'health', [user('mon')]));
  // A ServiceAccount subject (namespace from the binding).
  a.index.putBinding(binding('team-a', 'sa-view', 'ClusterRole', 'view', [{ kind: 'ServiceAccount', name: 'builder' }]));
  a.index.putBinding(binding('team-a', 'alice-edit', 'ClusterRole', 'edit', [user('alice')]));
  return a;
}

const id = (name: string, groups: string[] = []): Identity => ({ name, role: 'user', groups });
const at = (verb: string, resource: string, namespace = '', name = '', extra: Partial<ReturnType<typeof attributesOf>> = {}) =>
  ({ ...attributesOf({ verb, resource, ...(namespace ? { namespace } : {}), ...(name ? { name } : {}) }), ...extra });

describe('RBAC evaluator (Kubernetes docs examples)', () => {
  const a = fixture();
  const cases: [string, string[], ReturnType<typeof at>, boolean][] = [
    ['jane', [], at('list', 'pods', 'default'), true],
    ['jane', [], at('get', 'pods', 'default', 'web'), true],
    ['jane', [], at('create', 'pods', 'default'), false],
    ['jane', [], at('list', 'pods', 'other'), false],
    ['jane', [], at('list', 'pods'), false], // cluster-wide list needs a ClusterRoleBinding
    ['dave', [], at('get', 'secrets', 'development', 's'), true],
    ['dave', [], at('get', 'secrets', 'default', 's'), false],
    ['x', ['manager'], at('list', 'secrets', 'anything'), true],
    ['x', ['manager'], at('list', 'secrets'), true],
    ['carol', [], at('get', 'configmaps', 'default', 'my-configmap'), true],
    ['carol', [], at('get', 'configmaps', 'default', 'other'), false],
    ['carol', [], at('list', 'configmaps', 'default'), false], // resourceNames never match a list
    ['lee', [], at('log', 'pods', 'ns', 'p'), true], // pods/log
    ['lee', [], at('exec', 'pods', 'ns', 'p'), false], // pods/exec is not pods
    ['mon', [], { ...at('get', 'metrics') }, true],
    ['mon', [], { ...at('get', 'metrics'), path: '/healthz/etcd' }, true],
    ['mon', [], { ...at('get', 'metrics'), path: '/version' }, false],
    ['system:serviceaccount:team-a:builder', [], at('list', 'deployments', 'team-a'), true],
    ['system:serviceaccount:team-b:builder', [], at('list', 'deployments', 'team-a'), false],
    ['alice', [], at('exec', 'pods', 'team-a', 'p'), true],
    ['alice', [], at('create', 'pods/eviction', 'team-a', 'p'), true],
    ['alice', [], at('update', 'deployments', 'team-a', 'd'), true],
    ['alice', [], at('create', 'rolebindings', 'team-a'), false], // edit holds no RBAC objects
    ['alice', [], at('get', 'secrets', 'team-b', 's'), false],
    ['root', ['system:masters'], at('delete', 'nodes', '', 'n1'), true],
    ['root', ['system:masters'], at('get', 'metrics'), true],
    ['nobody', ['system:authenticated'], at('get', 'pods', 'default', 'p'), false],
  ];
  for (const [name, groups, attrs, want] of cases) {
    test(`${name}${groups.length ? ` (${groups.join(',')})` : ''} ${attrs.verb} ${attrs.resourceRequest ? `${attrs.resource}${attrs.subresource ? `/${attrs.subresource}` : ''} ${attrs.namespace || '(cluster)'}` : attrs.path}: ${want ? 'allowed' : 'denied'}`, () => {
      assert.equal(a.allows({ name, groups }, attrs), want);
    });
  }

  test('a deleted binding stops granting; an aggregated ClusterRole gathers labelled roles', () => {
    const b = fixture();
    b.index.deleteBinding(binding('default', 'read-pods', 'Role', 'pod-reader', []));
    assert.equal(b.allows({ name: 'jane', groups: [] }, at('list', 'pods', 'default')), false);
    assert.equal(b.allows({ name: 'alice', groups: [] }, at('list', 'leases', 'team-a', '', { apiGroup: 'example.com', resource: 'widgets' })), false);
    b.index.putRole(clusterRole('widgets-edit', [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['list'] }], { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' }));
    assert.equal(b.allows({ name: 'alice', groups: [] }, at('list', 'leases', 'team-a', '', { apiGroup: 'example.com', resource: 'widgets' })), true);
  });

  test('Lantern actions map to Kubernetes attributes in one table', () => {
    assert.deepEqual(attributesOf({ verb: 'updateStatus', resource: 'deployments', namespace: 'a', name: 'd' }), { verb: 'update', resourceRequest: true, apiGroup: 'apps', resource: 'deployments', subresource: 'status', name: 'd', namespace: 'a', path: '' });
    assert.equal(attributesOf({ verb: 'portforward', resource: 'pods' }).subresource, 'portforward');
    const m = attributesOf({ verb: 'list', resource: 'metrics.k8s.io/nodes' });
    assert.deepEqual([m.apiGroup, m.resource], ['metrics.k8s.io', 'nodes']);
    const e = attributesOf({ verb: 'create', resource: 'pods/eviction', namespace: 'a', name: 'p' });
    assert.deepEqual([e.verb, e.apiGroup, e.resource, e.subresource], ['create', '', 'pods', 'eviction']);
    assert.equal(attributesOf({ verb: 'images', resource: 'images' }).apiGroup, 'lantern.dev');
  });
});

describe('the 403 a user gets', () => {
  const a = fixture();
  const refused = (who: Identity, verb: Parameters<typeof authorize>[1]['verb'], resource: string, namespace?: string, name?: string): string => {
    try { authorize({ ...who, authorizer: a }, { verb, resource, ...(namespace ? { namespace } : {}), ...(name ? { name } : {}) }); } catch (e) {
      assert.ok(e instanceof ApiError);
      assert.equal(e.status, 403);
      return e.message;
    }
    assert.fail('expected a refusal');
  };
  test('names the user, verb, resource, API group and namespace, as kube-apiserver', () => {
    assert.equal(refused(id('jane'), 'list', 'pods', 'team-a'), 'pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "team-a"');
    assert.equal(refused(id('jane'), 'create', 'deployments', 'default', 'web'), 'deployments "web" is forbidden: User "jane" cannot create resource "deployments" in API group "apps" in the namespace "default"');
    assert.equal(refused(id('jane'), 'list', 'nodes'), 'nodes is forbidden: User "jane" cannot list resource "nodes" in API group "" at the cluster scope');
    assert.equal(refused(id('jane'), 'exec', 'pods', 'default', 'p'), 'pods/exec "p" is forbidden: User "jane" cannot create resource "pods/exec" in API group "" in the namespace "default"');
  });
  test('a user identity with no authorizer is refused', () => {
    assert.throws(() => authorize(id('ghost'), { verb: 'get', resource: 'pods', namespace: 'default', name: 'p' }), /ghost/);
  });
});
