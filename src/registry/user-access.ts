/**
 * What a user (role 'user': a client certificate, a user token, a ServiceAccount token) may do in the
 * registry, as RBAC decides through the caller's authorizer (structurally the server's
 * UserAuthorizer, so the registry imports nothing of the server). `use` on lantern.dev `images`
 * grants every image operation (T2's rule); otherwise a pull needs `get`, a push `create`, a delete
 * `delete`. The repository is the resource name, so a rule's resourceNames limit it per repository.
 */

/** A decision as the server's UserAuthorizer gives it. */
export interface AccessDecision { allowed: boolean; reason: string }

/** Who calls the registry (structurally the server's Identity, its authorizer included). */
export interface RegistryCaller {
  name: string;
  role: string;
  /** A user's authorizer (RBAC); method syntax so the server's Identity-typed one fits. */
  authorizer?: { decide(user: RegistryCaller, action: { verb: string; resource: string; name?: string }): AccessDecision };
}

/** The verb RBAC checks for METHOD besides `use`. */
export function registryVerb(method: string): 'get' | 'create' | 'delete' {
  if (method === 'GET' || method === 'HEAD') return 'get';
  return method === 'DELETE' ? 'delete' : 'create';
}

/** Whether the user may do METHOD on REPOSITORY (undefined: the catalog). */
export function userMay(user: RegistryCaller, method: string, repository: string | undefined): AccessDecision {
  const az = user.authorizer;
  if (!az) return { allowed: false, reason: 'no authorizer for this user' };
  const name = repository === undefined ? {} : { name: repository };
  const use = az.decide(user, { verb: 'images', resource: 'images', ...name });
  if (use.allowed) return use;
  const specific = az.decide(user, { verb: registryVerb(method), resource: 'images', ...name });
  return specific.allowed ? specific : use;
}
