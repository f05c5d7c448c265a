/**
 * The objects of `lcctl create role|clusterrole|rolebinding|clusterrolebinding`, built as kubectl
 * builds them (one rule per API group of the resources; subjects from --user, --group and
 * --serviceaccount NS:NAME). Pure: the command file sends them.
 */
import { resolveKind } from '../../api/kinds/names.js';
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, Subject } from '../../api/schema/rbac.js';
import { UsageError } from '../errors.js';

const rbacGroup = 'rbac.authorization.k8s.io';
/** kubectl's accepted verbs for create role. */
const validVerbs = new Set(['*', 'get', 'delete', 'list', 'create', 'update', 'patch', 'watch', 'proxy', 'deletecollection', 'use', 'bind', 'escalate', 'impersonate']);

/** Comma-separated and repeated flag values as one list. */
export const splitValues = (values: readonly string[]): string[] => values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');

/** What create role/clusterrole takes. */
export interface RoleFlags { verbs: string[]; resources: string[]; resourceNames: string[]; nonResourceURLs: string[] }

/** "pods", "deployments.apps", "pods/log", "*" -> the API group and the resource as a rule names it. */
export function groupResource(text: string): { group: string; resource: string } {
  const [base, sub] = text.split('/', 2) as [string, string?];
  if (base === '*') return { group: '*', resource: sub ? `*/${sub}` : '*' };
  const dot = base.indexOf('.');
  const kind = resolveKind(base) ?? (dot > 0 ? resolveKind(base.slice(0, dot)) : undefined);
  if (kind === undefined && dot < 0) throw new UsageError(`--resource: the server doesn't have a resource type "${base}" (name a kind lcctl knows, or RESOURCE.GROUP)`);
  const group = dot > 0 ? base.slice(dot + 1) : kind!.group;
  const resource = kind?.resource ?? base.slice(0, dot);
  return { group, resource: sub ? `${resource}/${sub}` : resource };
}

/** The rules of a role: kubectl's, one per API group. */
export function roleRules(f: RoleFlags, cluster: boolean): PolicyRule[] {
  if (f.verbs.length === 0) throw new UsageError('--verb: at least one verb is required (get, list, watch, create, update, patch, delete or *)');
  for (const v of f.verbs) if (!validVerbs.has(v)) throw new UsageError(`--verb: invalid verb "${v}" (one of ${[...validVerbs].join(', ')})`);
  if (f.resources.length === 0 && (!cluster || f.nonResourceURLs.length === 0)) throw new UsageError(cluster ? 'one of --resource or --non-resource-url is required' : '--resource: at least one resource is required');
  if (!cluster && f.nonResourceURLs.length > 0) throw new UsageError('--non-resource-url: only a ClusterRole may name non-resource URLs');
  const byGroup = new Map<string, string[]>();
  for (const r of f.resources) {
    const { group, resource } = groupResource(r);
    byGroup.set(group, [...(byGroup.get(group) ?? []), resource]);
  }
  const rules: PolicyRule[] = [...byGroup].map(([group, resources]) => ({ verbs: f.verbs, apiGroups: [group], resources, ...(f.resourceNames.length > 0 ? { resourceNames: f.resourceNames } : {}) }));
  if (f.nonResourceURLs.length > 0) rules.push({ verbs: f.verbs, nonResourceURLs: f.nonResourceURLs });
  return rules;
}

/** A Role or ClusterRole. */
export function buildRole(name: string, namespace: string | undefined, f: RoleFlags): Role | ClusterRole {
  const rules = roleRules(f, namespace === undefined);
  return namespace === undefined
    ? { apiVersion: `${rbacGroup}/v1`, kind: 'ClusterRole', metadata: { name }, rules }
    : { apiVersion: `${rbacGroup}/v1`, kind: 'Role', metadata: { name, namespace }, rules };
}

/** What create rolebinding/clusterrolebinding takes. */
export interface BindingFlags { role?: string; clusterRole?: string; users: string[]; groups: string[]; serviceAccounts: string[] }

/** The subjects of --user, --group and --serviceaccount NS:NAME. */
export function subjects(f: BindingFlags): Subject[] {
  return [
    ...f.users.map((name): Subject => ({ kind: 'User', apiGroup: rbacGroup, name })),
    ...f.groups.map((name): Subject => ({ kind: 'Group', apiGroup: rbacGroup, name })),
    ...f.serviceAccounts.map((sa): Subject => {
      const m = /^([^:]+):([^:]+)$/.exec(sa);
      if (!m) throw new UsageError(`--serviceaccount: "${sa}" must be NAMESPACE:NAME`);
      return { kind: 'ServiceAccount', namespace: m[1]!, name: m[2]! };
    }),
  ];
}

/** A RoleBinding (namespace given) or ClusterRoleBinding. */
export function buildBinding(name: string, namespace: string | undefined, f: BindingFlags): RoleBinding | ClusterRoleBinding {
  if (namespace === undefined && f.role !== undefined) throw new UsageError('--role: a ClusterRoleBinding grants a ClusterRole: use --clusterrole');
  if ((f.role === undefined) === (f.clusterRole === undefined)) throw new UsageError(namespace === undefined ? '--clusterrole is required' : 'exactly one of --clusterrole or --role is required');
  const roleRef = { apiGroup: rbacGroup, kind: f.role !== undefined ? 'Role' : 'ClusterRole', name: (f.role ?? f.clusterRole)! };
  const subs = subjects(f);
  return namespace === undefined
    ? { apiVersion: `${rbacGroup}/v1`, kind: 'ClusterRoleBinding', metadata: { name }, roleRef, subjects: subs }
    : { apiVersion: `${rbacGroup}/v1`, kind: 'RoleBinding', metadata: { name, namespace }, roleRef, subjects: subs };
}
