/**
 * The rbac.authorization.k8s.io/v1 group: Role, ClusterRole, RoleBinding, ClusterRoleBinding. Each
 * kind's module: names, scope, subresources, fields, and where its table is.
 */
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from '../../schema/rbac.js';
import { defineKind } from '../module.js';

const group = 'rbac.authorization.k8s.io';

/** The Role kind (namespaced): grants within its namespace. */
export const roleModule = defineKind<Role>({
  kind: 'Role', resource: 'roles', singular: 'role', shortNames: [], namespaced: true, group, version: 'v1',
  subresources: { status: false },
  selectableFields: (r) => ({ 'metadata.name': r.metadata.name, 'metadata.namespace': r.metadata.namespace ?? 'default' }),
  table: async () => (await import('../../printers/rbac.js')).roleTable,
});

/** The ClusterRole kind (cluster-scoped): grants bound cluster-wide or per namespace. */
export const clusterRoleModule = defineKind<ClusterRole>({
  kind: 'ClusterRole', resource: 'clusterroles', singular: 'clusterrole', shortNames: [], namespaced: false, group, version: 'v1',
  subresources: { status: false },
  selectableFields: (r) => ({ 'metadata.name': r.metadata.name }),
  table: async () => (await import('../../printers/rbac.js')).roleTable,
});

/** The RoleBinding kind (namespaced): a Role or ClusterRole granted to subjects in one namespace. */
export const roleBindingModule = defineKind<RoleBinding>({
  kind: 'RoleBinding', resource: 'rolebindings', singular: 'rolebinding', shortNames: [], namespaced: true, group, version: 'v1',
  subresources: { status: false },
  selectableFields: (b) => ({ 'metadata.name': b.metadata.name, 'metadata.namespace': b.metadata.namespace ?? 'default' }),
  table: async () => (await import('../../printers/rbac.js')).roleBindingTable,
});

/** The ClusterRoleBinding kind (cluster-scoped): a ClusterRole granted to subjects everywhere. */
export const clusterRoleBindingModule = defineKind<ClusterRoleBinding>({
  kind: 'ClusterRoleBinding', resource: 'clusterrolebindings', singular: 'clusterrolebinding', shortNames: [], namespaced: false, group, version: 'v1',
  subresources: { status: false },
  selectableFields: (b) => ({ 'metadata.name': b.metadata.name }),
  table: async () => (await import('../../printers/rbac.js')).clusterRoleBindingTable,
});
