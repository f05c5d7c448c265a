/** `get roles|clusterroles|rolebindings|clusterrolebindings`: kube-apiserver's RBAC tables. */
import type { ApiObject } from '../meta.js';
import type { ClusterRoleBinding, RoleBinding, Subject } from '../schema/rbac.js';
import { ageColumn, column, nameColumn, type TableDefinition } from './table.js';

/** NAME CREATED AT, as kubectl prints roles and cluster roles. */
export const roleTable: TableDefinition<ApiObject> = {
  columns: [nameColumn, column<ApiObject>('Created At', (r) => r.metadata.creationTimestamp ?? '')],
};

const subjectsOf = (b: RoleBinding | ClusterRoleBinding, kind: string): string =>
  (b.subjects ?? []).filter((s: Subject) => s.kind === kind).map((s) => (kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name}` : s.name)).join(', ');

const bindingColumns = [
  column<RoleBinding | ClusterRoleBinding>('Role', (b) => `${b.roleRef.kind}/${b.roleRef.name}`),
  ageColumn,
  column<RoleBinding | ClusterRoleBinding>('Users', (b) => subjectsOf(b, 'User'), 1),
  column<RoleBinding | ClusterRoleBinding>('Groups', (b) => subjectsOf(b, 'Group'), 1),
  column<RoleBinding | ClusterRoleBinding>('ServiceAccounts', (b) => subjectsOf(b, 'ServiceAccount'), 1),
];

/** NAME ROLE AGE (USERS GROUPS SERVICEACCOUNTS with -o wide). */
export const roleBindingTable: TableDefinition<RoleBinding> = { columns: [nameColumn, ...bindingColumns] };

/** NAME ROLE AGE (USERS GROUPS SERVICEACCOUNTS with -o wide). */
export const clusterRoleBindingTable: TableDefinition<ClusterRoleBinding> = { columns: [nameColumn, ...bindingColumns] };
