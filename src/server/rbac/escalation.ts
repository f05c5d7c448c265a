/**
 * Escalation prevention (Kubernetes' rbac registry): a user may write a Role or ClusterRole only with
 * every rule in it already granted to them (or the `escalate` verb on it), and a binding only when
 * they hold every rule of the role it refers to (or the `bind` verb on that role). Both checks run in
 * the namespace the object grants in (the cluster scope for cluster-wide objects).
 */
import type { PolicyRule, RoleRef } from '../../api/schema/rbac.js';
import type { UserDecision } from '../http/auth.js';
import type { Attributes } from './attributes.js';
import type { UserInfo } from './authorizer.js';
import type { RbacIndex } from './index-store.js';

/** What escalation needs of the authorizer (kept structural: the authorizer imports this file). */
interface Holder { index: RbacIndex; allows(user: UserInfo, at: Attributes): boolean }

const rbacGroup = 'rbac.authorization.k8s.io';

/** RULE split into single grants (one verb, group, resource and name each), as Kubernetes' Covers does. */
function atoms(rule: PolicyRule, namespace: string): Attributes[] {
  const out: Attributes[] = [];
  for (const verb of rule.verbs) {
    for (const path of rule.nonResourceURLs ?? []) out.push({ verb, resourceRequest: false, apiGroup: '', resource: '', subresource: '', name: '', namespace: '', path });
    for (const apiGroup of rule.apiGroups ?? []) {
      for (const r of rule.resources ?? []) {
        const slash = r.indexOf('/');
        const resource = slash < 0 ? r : r.slice(0, slash);
        const subresource = slash < 0 ? '' : r.slice(slash + 1);
        for (const name of (rule.resourceNames ?? []).length > 0 ? rule.resourceNames! : ['']) out.push({ verb, resourceRequest: true, apiGroup, resource, subresource, name, namespace, path: '' });
      }
    }
  }
  return out;
}

/** The rules of RULES that USER does not hold in NAMESPACE. */
export function notHeld(h: Holder, user: UserInfo, rules: readonly PolicyRule[], namespace: string): PolicyRule[] {
  return rules.filter((r) => atoms(r, namespace).some((at) => !h.allows(user, at)));
}

const ruleText = (r: PolicyRule): string => JSON.stringify(r);

function refused(user: UserInfo, missing: readonly PolicyRule[], namespace: string): UserDecision {
  const where = namespace === '' ? 'cluster-wide' : `in the namespace "${namespace}"`;
  return {
    allowed: false,
    reason: `user "${user.name}" (groups=${JSON.stringify(user.groups)}) is attempting to grant RBAC permissions not currently held ${where}: ${missing.map(ruleText).join('; ')}`
      + ' (ask an administrator for these permissions, or for the escalate or bind verb)',
  };
}

interface RbacObject { kind?: string; metadata?: { name?: string; namespace?: string }; rules?: PolicyRule[]; roleRef?: RoleRef }

const verbOn = (verb: string, resource: string, name: string, namespace: string): Attributes =>
  ({ verb, resourceRequest: true, apiGroup: rbacGroup, resource, subresource: '', name, namespace, path: '' });

const strings = (v: unknown): boolean => v === undefined || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
const ruleShaped = (r: unknown): boolean => typeof r === 'object' && r !== null && Array.isArray((r as PolicyRule).verbs)
  && ['verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs'].every((k) => strings((r as Record<string, unknown>)[k]));

/**
 * Whether OBJ has the shape escalation reads (rules of string lists, a roleRef of strings). One that
 * does not is let through here: the kind's schema refuses it with a 422 naming the field.
 */
function wellFormed(o: RbacObject): boolean {
  if (o.rules !== undefined && (!Array.isArray(o.rules) || !o.rules.every(ruleShaped))) return false;
  const ref = o.roleRef as unknown;
  return ref === undefined || (typeof ref === 'object' && ref !== null && ['kind', 'name'].every((k) => typeof (ref as Record<string, unknown>)[k] === 'string'));
}

/** Whether USER may write OBJ (of RESOURCE) without escalating; other resources pass. */
export function checkRbacWrite(h: Holder, user: UserInfo, resource: string, obj: unknown): UserDecision {
  const o = (obj ?? {}) as RbacObject;
  if (!wellFormed(o)) return { allowed: true, reason: '' };
  const name = o.metadata?.name ?? '';
  if (resource === 'roles' || resource === 'clusterroles') {
    const ns = resource === 'roles' ? o.metadata?.namespace ?? 'default' : '';
    if (h.allows(user, verbOn('escalate', resource, name, ns))) return { allowed: true, reason: '' };
    const missing = notHeld(h, user, o.rules ?? [], ns);
    return missing.length === 0 ? { allowed: true, reason: '' } : refused(user, missing, ns);
  }
  if ((resource === 'rolebindings' || resource === 'clusterrolebindings') && o.roleRef !== undefined) {
    const ns = resource === 'rolebindings' ? o.metadata?.namespace ?? 'default' : '';
    const ref = o.roleRef;
    const refResource = ref.kind === 'Role' ? 'roles' : 'clusterroles';
    if (h.allows(user, verbOn('bind', refResource, ref.name, ns))) return { allowed: true, reason: '' };
    const rules = h.index.rulesOf(ref, ns);
    if (rules === undefined) return { allowed: false, reason: `user "${user.name}" may not bind ${ref.kind} "${ref.name}": it does not exist (create it first) and the user lacks the bind verb on it` };
    const missing = notHeld(h, user, rules, ns);
    return missing.length === 0 ? { allowed: true, reason: '' } : refused(user, missing, ns);
  }
  return { allowed: true, reason: '' };
}
