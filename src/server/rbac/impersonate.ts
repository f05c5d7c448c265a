/**
 * Impersonation (kube-apiserver's): `Impersonate-User` and `Impersonate-Group` headers make the
 * request run as that user, so `lcctl auth can-i --as` and `kubectl --as` work. The admin may
 * impersonate anyone; a user needs the `impersonate` verb on users (groups, serviceaccounts) by name;
 * nodes and the join token never may.
 */
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../../api/errors.js';
import type { Identity, UserAuthorizer } from '../http/auth.js';

const headerValues = (req: IncomingMessage, name: string): string[] => {
  const v = req.headers[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
};

/** The groups Kubernetes adds to an impersonated user: system:authenticated, and a ServiceAccount's own. */
function impliedGroups(user: string): string[] {
  const sa = /^system:serviceaccount:([^:]+):[^:]+$/.exec(user);
  return sa ? ['system:serviceaccounts', `system:serviceaccounts:${sa[1]!}`, 'system:authenticated'] : ['system:authenticated'];
}

/** Whether CALLER may impersonate a subject of RESOURCE named NAME. */
function mayImpersonate(caller: Identity, resource: string, name: string, namespace?: string): boolean {
  if (caller.role === 'admin') return true;
  if (caller.role !== 'user') return false;
  return caller.authorizer?.decide(caller, { verb: 'impersonate', resource, name, namespace }).allowed ?? false;
}

/**
 * The identity a request runs as: CALLER, or the user its Impersonate-* headers name (with the
 * authorizer that decides users' requests). Forbidden, naming what was refused, when CALLER may not.
 */
export function impersonated(caller: Identity | undefined, req: IncomingMessage, authorizer: UserAuthorizer | undefined): Identity | undefined {
  const users = headerValues(req, 'impersonate-user');
  const groups = headerValues(req, 'impersonate-group');
  if (users.length === 0) {
    if (groups.length > 0) throw new ApiError('BadRequest', 'Impersonate-Group needs Impersonate-User: name the user to act as');
    return caller;
  }
  if (caller === undefined) throw new ApiError('Unauthorized', 'impersonation needs a valid token');
  if (users.length > 1) throw new ApiError('BadRequest', 'only one Impersonate-User header may be given');
  const user = users[0]!;
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(user);
  const allowed = sa ? mayImpersonate(caller, 'serviceaccounts', sa[2]!, sa[1]!) : mayImpersonate(caller, 'users', user);
  if (!allowed) throw new ApiError('Forbidden', `${sa ? 'serviceaccounts' : 'users'} "${sa ? sa[2]! : user}" is forbidden: User "${caller.name}" cannot impersonate resource "${sa ? 'serviceaccounts' : 'users'}" in API group "": impersonation needs the impersonate verb (the admin has it)`);
  for (const g of groups) {
    if (!mayImpersonate(caller, 'groups', g)) throw new ApiError('Forbidden', `groups "${g}" is forbidden: User "${caller.name}" cannot impersonate resource "groups" in API group ""`);
  }
  const all = [...new Set([...groups, ...impliedGroups(user)])];
  return { name: user, role: 'user', groups: all, ...(authorizer ? { authorizer } : {}) };
}
