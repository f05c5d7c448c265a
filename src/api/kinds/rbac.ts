/** The rbac.authorization.k8s.io/v1 kinds: schemas and validation (Kubernetes' pkg/apis/rbac/validation). */
import type { KindInfo } from './kind.js';
import { clusterRoleBindingModule, clusterRoleModule, roleBindingModule, roleModule } from './modules/rbac.js';
import type { FieldCause } from '../errors.js';
import {
  ClusterRoleBindingSchema, ClusterRoleSchema, RoleBindingSchema, RoleSchema,
  type ClusterRole, type ClusterRoleBinding, type PolicyRule, type Role, type RoleBinding, type Subject,
} from '../schema/rbac.js';
import { withRules } from './with-rules.js';

/** The API group of RBAC kinds (and of User and Group subjects). */
export const rbacGroup = 'rbac.authorization.k8s.io';

/** A rule's faults: verbs required; resources with apiGroups, or non-resource URLs (cluster roles only), never both. */
export function checkPolicyRule(rule: PolicyRule, path: string, namespaced: boolean): FieldCause[] {
  const out: FieldCause[] = [];
  if (rule.verbs.length === 0) out.push({ field: `${path}.verbs`, message: 'Required value: verbs must contain at least one value (get, list, watch, create, update, patch, delete, deletecollection or *)' });
  const urls = rule.nonResourceURLs ?? [];
  const resources = rule.resources ?? [];
  if (urls.length > 0) {
    if (namespaced) out.push({ field: `${path}.nonResourceURLs`, message: 'Invalid value: namespaced rules cannot apply to non-resource URLs (use a ClusterRole)' });
    if (resources.length > 0 || (rule.apiGroups ?? []).length > 0) out.push({ field: `${path}.nonResourceURLs`, message: 'Invalid value: rules cannot apply to both regular resources and non-resource URLs' });
    urls.forEach((u, i) => {
      if (!u.startsWith('/') && u !== '*') out.push({ field: `${path}.nonResourceURLs[${i}]`, message: `Invalid value: ${JSON.stringify(u)}: must start with "/" (a path such as /healthz or /api/*)` });
      else if (u.slice(0, -1).includes('*')) out.push({ field: `${path}.nonResourceURLs[${i}]`, message: `Invalid value: ${JSON.stringify(u)}: "*" is allowed only at the end` });
    });
    return out;
  }
  if (resources.length === 0) out.push({ field: `${path}.resources`, message: 'Required value: resource rules must supply at least one resource (or nonResourceURLs in a ClusterRole)' });
  if ((rule.apiGroups ?? []).length === 0) out.push({ field: `${path}.apiGroups`, message: 'Required value: resource rules must supply at least one api group ("" for the core group, "*" for all)' });
  return out;
}

const checkRules = (rules: readonly PolicyRule[] | undefined, namespaced: boolean): FieldCause[] =>
  (rules ?? []).flatMap((r, i) => checkPolicyRule(r, `rules[${i}]`, namespaced));

/** A subject's faults: kind User, Group or ServiceAccount, with the group each needs; a cluster binding's ServiceAccount names its namespace. */
export function checkSubject(s: Subject, path: string, namespaced: boolean): FieldCause[] {
  const out: FieldCause[] = [];
  if (s.name === '') out.push({ field: `${path}.name`, message: 'Required value: the name of the user, group or service account' });
  if (s.kind === 'ServiceAccount') {
    if ((s.apiGroup ?? '') !== '') out.push({ field: `${path}.apiGroup`, message: `Unsupported value: ${JSON.stringify(s.apiGroup)}: supported values: ""` });
    if (!namespaced && !s.namespace) out.push({ field: `${path}.namespace`, message: 'Required value: a ServiceAccount subject of a ClusterRoleBinding names its namespace' });
  } else if (s.kind === 'User' || s.kind === 'Group') {
    if (s.apiGroup !== undefined && s.apiGroup !== rbacGroup) out.push({ field: `${path}.apiGroup`, message: `Unsupported value: ${JSON.stringify(s.apiGroup)}: supported values: "${rbacGroup}"` });
  } else {
    out.push({ field: `${path}.kind`, message: `Unsupported value: ${JSON.stringify(s.kind)}: supported values: "ServiceAccount", "User", "Group"` });
  }
  return out;
}

function checkBinding(b: RoleBinding | ClusterRoleBinding, namespaced: boolean): FieldCause[] {
  const out: FieldCause[] = [];
  if (b.roleRef.apiGroup !== rbacGroup) out.push({ field: 'roleRef.apiGroup', message: `Unsupported value: ${JSON.stringify(b.roleRef.apiGroup)}: supported values: "${rbacGroup}"` });
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(b.roleRef.kind)) out.push({ field: 'roleRef.kind', message: `Unsupported value: ${JSON.stringify(b.roleRef.kind)}: supported values: ${kinds.map((k) => `"${k}"`).join(', ')}` });
  if (b.roleRef.name === '') out.push({ field: 'roleRef.name', message: 'Required value: the name of the role to grant' });
  (b.subjects ?? []).forEach((s, i) => out.push(...checkSubject(s, `subjects[${i}]`, namespaced)));
  return out;
}

/** Kubernetes' SetDefaults_Subject: User and Group subjects are of the RBAC group. */
function defaultSubjects(b: RoleBinding | ClusterRoleBinding): void {
  for (const s of b.subjects ?? []) if ((s.kind === 'User' || s.kind === 'Group') && s.apiGroup === undefined) s.apiGroup = rbacGroup;
}

const roleRefImmutable = (a: RoleBinding | ClusterRoleBinding, b: RoleBinding | ClusterRoleBinding): FieldCause[] =>
  a.roleRef.apiGroup === b.roleRef.apiGroup && a.roleRef.kind === b.roleRef.kind && a.roleRef.name === b.roleRef.name ? []
    : [{ field: 'roleRef', message: 'Invalid value: cannot change roleRef: delete the binding and create a new one' }];

/** The Role kind. */
export const roleKind: KindInfo<Role> = withRules(roleModule, { schema: RoleSchema, check: (r) => checkRules(r.rules, true) });

/** The ClusterRole kind. */
export const clusterRoleKind: KindInfo<ClusterRole> = withRules(clusterRoleModule, { schema: ClusterRoleSchema, check: (r) => checkRules(r.rules, false) });

/** The RoleBinding kind: roleRef is immutable. */
export const roleBindingKind: KindInfo<RoleBinding> = withRules(roleBindingModule, {
  schema: RoleBindingSchema, check: (b) => checkBinding(b, true), applyDefaults: defaultSubjects, validateUpdate: roleRefImmutable,
});

/** The ClusterRoleBinding kind: roleRef is immutable. */
export const clusterRoleBindingKind: KindInfo<ClusterRoleBinding> = withRules(clusterRoleBindingModule, {
  schema: ClusterRoleBindingSchema, check: (b) => checkBinding(b, false), applyDefaults: defaultSubjects, validateUpdate: roleRefImmutable,
});
