import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterRoleBindingKind, clusterRoleKind, roleBindingKind, roleKind } from './rbac.js';
import type { RoleBinding } from '../schema/rbac.js';

const api = 'rbac.authorization.k8s.io/v1';
const fields = (causes: { field: string }[]): string[] => causes.map((c) => c.field);

describe('RBAC kinds validation', () => {
  test('a Role needs verbs, resources and apiGroups; non-resource URLs only in a ClusterRole', () => {
    assert.deepEqual(fields(roleKind.validate({ apiVersion: api, kind: 'Role', metadata: { name: 'r', namespace: 'a' }, rules: [{ verbs: [], resources: ['pods'] }] })), ['rules[0].verbs', 'rules[0].apiGroups']);
    assert.deepEqual(fields(roleKind.validate({ apiVersion: api, kind: 'Role', metadata: { name: 'r', namespace: 'a' }, rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }] })), ['rules[0].nonResourceURLs']);
    assert.deepEqual(clusterRoleKind.validate({ apiVersion: api, kind: 'ClusterRole', metadata: { name: 'c' }, rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/api/*'] }] }), []);
    assert.deepEqual(fields(clusterRoleKind.validate({ apiVersion: api, kind: 'ClusterRole', metadata: { name: 'c' }, rules: [{ verbs: ['get'], nonResourceURLs: ['healthz'] }] })), ['rules[0].nonResourceURLs[0]']);
    assert.ok(roleKind.validate({ apiVersion: api, kind: 'Role', metadata: { name: 'r', namespace: 'a' }, rules: [{ verbs: ['get'], resources: ['pods'], apiGroups: [''], bogus: 1 }] }).length > 0, 'unknown fields are refused');
  });

  test('bindings: roleRef group and kind, subject kinds, a cluster binding\'s ServiceAccount names its namespace', () => {
    const b = (over: Partial<RoleBinding>): unknown => ({ apiVersion: api, kind: 'RoleBinding', metadata: { name: 'b', namespace: 'a' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, ...over });
    assert.deepEqual(roleBindingKind.validate(b({ subjects: [{ kind: 'User', name: 'u' }, { kind: 'ServiceAccount', name: 's' }] })), []);
    assert.deepEqual(fields(roleBindingKind.validate(b({ subjects: [{ kind: 'Robot', name: 'r' }] }))), ['subjects[0].kind']);
    assert.deepEqual(fields(roleBindingKind.validate(b({ roleRef: { apiGroup: 'x', kind: 'Thing', name: 'r' } }))), ['roleRef.apiGroup', 'roleRef.kind']);
    assert.deepEqual(fields(clusterRoleBindingKind.validate({ apiVersion: api, kind: 'ClusterRoleBinding', metadata: { name: 'c' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 's' }] })), ['roleRef.kind', 'subjects[0].namespace']);
  });

  test('roleRef is immutable; User subjects get the RBAC group', () => {
    const old = { apiVersion: api, kind: 'RoleBinding', metadata: { name: 'b', namespace: 'a' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, subjects: [{ kind: 'User', name: 'u' }] } as RoleBinding;
    assert.deepEqual(fields(roleBindingKind.validateUpdate!(old, { ...old, roleRef: { ...old.roleRef, name: 'other' } })), ['roleRef']);
    assert.deepEqual(roleBindingKind.validateUpdate!(old, { ...old, subjects: [] }), []);
    const d = structuredClone(old);
    roleBindingKind.applyDefaults(d);
    assert.equal(d.subjects![0]!.apiGroup, 'rbac.authorization.k8s.io');
  });
});
