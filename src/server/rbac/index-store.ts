/**
 * The RBAC objects in memory, indexed by subject, so a decision reads a few map entries: bindings by
 * (namespace, subject) and roles by name. Fed by informers (authorizer-source.ts) or directly in tests.
 */
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, RoleRef, Subject } from '../../api/schema/rbac.js';
import { labelSelectorMatches } from '../../api/label-selector.js';

/** A binding reduced to what a decision needs. */
export interface BoundRole { namespace: string; binding: string; roleRef: RoleRef }

/** The subject keys a user is known by: its name and each group. */
export function subjectKeys(user: string, groups: readonly string[]): string[] {
  return [`User:${user}`, ...groups.map((g) => `Group:${g}`)];
}

/** A subject's key: a ServiceAccount is the user system:serviceaccount:NS:NAME (NS defaults to the binding's). */
function subjectKey(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `User:system:serviceaccount:${s.namespace ?? bindingNamespace}:${s.name}`;
  return `${s.kind}:${s.name}`;
}

type Binding = RoleBinding | ClusterRoleBinding;

/** Roles and bindings by what decisions look up. */
export class RbacIndex {
  private readonly roles = new Map<string, Role>();
  private readonly clusterRoles = new Map<string, ClusterRole>();
  /** "NS\0subjectKey" (NS '' for ClusterRoleBindings) -> bindings by "NS/name". */
  private readonly bySubject = new Map<string, Map<string, BoundRole>>();
  /** "NS/name" -> the keys it was filed under, so an update or delete unfiles it. */
  private readonly filed = new Map<string, string[]>();

  /** Add or replace a Role or ClusterRole. */
  putRole(r: Role | ClusterRole): void {
    if (r.kind === 'Role') this.roles.set(`${r.metadata.namespace ?? 'default'}/${r.metadata.name}`, r);
    else this.clusterRoles.set(r.metadata.name, r);
  }

  /** Forget a Role or ClusterRole. */
  deleteRole(r: Role | ClusterRole): void {
    if (r.kind === 'Role') this.roles.delete(`${r.metadata.namespace ?? 'default'}/${r.metadata.name}`);
    else this.clusterRoles.delete(r.metadata.name);
  }

  /** Add or replace a RoleBinding or ClusterRoleBinding. */
  putBinding(b: Binding): void {
    this.deleteBinding(b);
    const ns = b.kind === 'RoleBinding' ? b.metadata.namespace ?? 'default' : '';
    const id = `${ns}/${b.metadata.name}`;
    const keys = [...new Set((b.subjects ?? []).map((s) => `${ns}\0${subjectKey(s, ns)}`))];
    for (const k of keys) {
      let m = this.bySubject.get(k);
      if (!m) this.bySubject.set(k, m = new Map());
      m.set(id, { namespace: ns, binding: b.metadata.name, roleRef: b.roleRef });
    }
    this.filed.set(id, keys);
  }

  /** Forget a RoleBinding or ClusterRoleBinding. */
  deleteBinding(b: Binding): void {
    const id = `${b.kind === 'RoleBinding' ? b.metadata.namespace ?? 'default' : ''}/${b.metadata.name}`;
    for (const k of this.filed.get(id) ?? []) {
      const m = this.bySubject.get(k);
      m?.delete(id);
      if (m?.size === 0) this.bySubject.delete(k);
    }
    this.filed.delete(id);
  }

  /** The bindings in NAMESPACE ('' for cluster bindings) naming any of KEYS. */
  bindingsFor(namespace: string, keys: readonly string[]): BoundRole[] {
    const out: BoundRole[] = [];
    for (const k of keys) for (const b of this.bySubject.get(`${namespace}\0${k}`)?.values() ?? []) out.push(b);
    return out;
  }

  /** The rules of the role a binding in NAMESPACE refers to (an aggregated ClusterRole's gathered too); undefined when there is no such role. */
  rulesOf(ref: RoleRef, namespace: string): readonly PolicyRule[] | undefined {
    if (ref.kind === 'Role') {
      const role = this.roles.get(`${namespace}/${ref.name}`);
      return role === undefined ? undefined : role.rules ?? [];
    }
    const cr = this.clusterRoles.get(ref.name);
    if (cr === undefined) return undefined;
    const selectors = cr.aggregationRule?.clusterRoleSelectors;
    if (selectors === undefined || selectors.length === 0) return cr.rules ?? [];
    // Kubernetes' aggregation controller writes the gathered rules into the role; here they are gathered when read.
    const rules = [...(cr.rules ?? [])];
    for (const other of this.clusterRoles.values()) {
      if (other !== cr && selectors.some((s) => labelSelectorMatches(s, other.metadata.labels))) rules.push(...(other.rules ?? []));
    }
    return rules;
  }
}
