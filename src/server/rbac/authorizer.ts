/**
 * The RBAC authorizer (UserAuthorizer of http/auth.ts): a user's request is allowed when a rule of a
 * role bound to the user, one of its groups or its ServiceAccount grants it. ClusterRoleBindings grant
 * everywhere; RoleBindings in the request's namespace only. Synchronous over the in-memory index.
 */
import type { PolicyRule } from '../../api/schema/rbac.js';
import type { Identity, UserAction, UserAuthorizer, UserDecision } from '../http/auth.js';
import { attributesOf, combinedResource, type Attributes } from './attributes.js';
import { RbacIndex, subjectKeys } from './index-store.js';
import { ruleAllows } from './rule-match.js';
import { checkRbacWrite } from './escalation.js';

/** The user's name and groups as a decision needs them. */
export interface UserInfo { name: string; groups: readonly string[] }

/** Kubernetes' authorizer message: `User "alice" cannot list resource "pods" in API group "" in the namespace "team-a"`. */
export function forbiddenMessage(user: string, at: Attributes): string {
  if (!at.resourceRequest) return `forbidden: User "${user}" cannot ${at.verb} path "${at.path}"`;
  const what = at.name === '' ? combinedResource(at) : `${combinedResource(at)} "${at.name}"`;
  const where = at.namespace === '' ? 'at the cluster scope' : `in the namespace "${at.namespace}"`;
  return `${what} is forbidden: User "${user}" cannot ${at.verb} resource "${combinedResource(at)}" in API group "${at.apiGroup}" ${where}`;
}

/** Decides users' requests from an RbacIndex. */
export class RbacAuthorizer implements UserAuthorizer {
  constructor(readonly index: RbacIndex = new RbacIndex()) {}

  /** Whether USER may do AT (Kubernetes' attributes). */
  allows(user: UserInfo, at: Attributes): boolean {
    const keys = subjectKeys(user.name, user.groups);
    const grants = (ns: string, ruleNs: string): boolean => this.index.bindingsFor(ns, keys)
      .some((b) => (this.index.rulesOf(b.roleRef, ruleNs) ?? []).some((r) => ruleAllows(r, at)));
    if (grants('', '')) return true;
    return at.namespace !== '' && grants(at.namespace, at.namespace);
  }

  /** Every rule bound to USER that applies in NAMESPACE (cluster bindings' rules too): SelfSubjectRulesReview's answer. */
  rulesFor(user: UserInfo, namespace: string): PolicyRule[] {
    const keys = subjectKeys(user.name, user.groups);
    const out: PolicyRule[] = [];
    for (const [ns, ruleNs] of [['', ''], ...(namespace === '' ? [] : [[namespace, namespace]])] as const) {
      for (const b of this.index.bindingsFor(ns, keys)) out.push(...(this.index.rulesOf(b.roleRef, ruleNs) ?? []));
    }
    return out;
  }

  /** Decide a Lantern action of a 'user' identity (the hook authz.ts calls). */
  decide(user: Identity, action: UserAction): UserDecision {
    const at = attributesOf(action);
    const allowed = this.allows(infoOf(user), at);
    return { allowed, reason: allowed ? '' : forbiddenMessage(user.name, at) };
  }

  /** Escalation prevention for a user's write of a Role, ClusterRole or binding (undefined: allowed). */
  checkWrite(user: Identity, resource: string, obj: unknown): UserDecision {
    return checkRbacWrite(this, infoOf(user), resource, obj);
  }
}

/** The name and groups of an identity. */
export const infoOf = (id: Identity): UserInfo => ({ name: id.name, groups: id.groups ?? [] });
