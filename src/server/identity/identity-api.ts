/**
 * The identity routes:
 *
 *   POST /apis/authentication.k8s.io/v1/selfsubjectreviews     who am I (every identity; kubectl auth whoami)
 *   POST /apis/lantern.dev/v1/users                            {name, groups, ttlSeconds, token} -> a credential (admin only)
 *   GET /apis/lantern.dev/v1/users, DELETE .../users/NAME      list token users, revoke a user's tokens (admin only)
 *   POST /api/v1/namespaces/NS/serviceaccounts/NAME/token      TokenRequest (token-request.ts says who may)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, type FieldCause } from '../../api/errors.js';
import type { ApiClient } from '../../client/types.js';
import type { Identity } from '../http/auth.js';
import { authorize } from '../http/authz.js';
import { readObject } from '../http/body.js';
import { sendJson } from '../http/respond.js';
import { authenticatedGroup, userNameProblem } from './names.js';
import type { ServiceAccountTokens } from './sa-tokens.js';
import { serveTokenRequest, tokenRequestPath } from './token-request.js';
import type { UserTokens } from './user-tokens.js';

/** A client certificate and its key (PEM), signed by the cluster CA. */
export interface IssuedCert { cert: string; key: string }

/** What the identity routes work with. */
export interface IdentityApiDeps {
  /** The API without authorization (the routes authorize themselves). */
  api: ApiClient;
  userTokens: UserTokens;
  serviceAccountTokens: ServiceAccountTokens;
  /** Sign a client certificate for CN with O = groups, valid for days (the daemon's openssl). */
  issueClientCert: (user: string, groups: string[], days: number) => Promise<IssuedCert>;
  /** The cluster CA (PEM), for the config `lcctl create user` prints. */
  caCert: string;
}

const reviewPath = /^\/apis\/authentication\.k8s\.io\/v1(beta1|alpha1)?\/selfsubjectreviews$/;
const usersPath = '/apis/lantern.dev/v1/users';
const userPath = /^\/apis\/lantern\.dev\/v1\/users\/([^/]+)$/;

/** Whether PATHNAME is one of the identity routes. */
export function isIdentityPath(pathname: string): boolean {
  return reviewPath.test(pathname) || pathname === usersPath || userPath.test(pathname) || tokenRequestPath.test(pathname);
}

/** The user info Kubernetes would report for an identity. */
export function userInfo(id: Identity): { username: string; uid?: string; groups: string[] } {
  const groups = id.role === 'admin' ? ['system:masters', authenticatedGroup]
    : id.role === 'node' ? ['system:nodes', authenticatedGroup]
      : id.role === 'join' ? ['system:bootstrappers', authenticatedGroup]
        : [...(id.groups ?? [authenticatedGroup])];
  return { username: id.name, ...(id.uid ? { uid: id.uid } : {}), groups };
}

const MAX_TTL = 10 * 365 * 86_400;

/** A `users` request body checked field by field. */
export function userRequest(body: Record<string, unknown>): { name: string; groups: string[]; ttlSeconds: number; token: boolean } {
  const causes: FieldCause[] = [];
  const name = body.name;
  const nameProblem = typeof name === 'string' ? userNameProblem(name, 'user') : 'must be text';
  if (nameProblem) causes.push({ field: 'name', message: nameProblem });
  if (typeof name === 'string' && name.startsWith('system:')) causes.push({ field: 'name', message: '"system:" names belong to the cluster (nodes, ServiceAccounts)' });
  const groups = body.groups ?? [];
  if (!Array.isArray(groups)) causes.push({ field: 'groups', message: 'must be a list of group names' });
  else groups.forEach((g, i) => {
    const p = typeof g === 'string' ? userNameProblem(g, 'group') : 'must be text';
    if (p) causes.push({ field: `groups[${i}]`, message: p });
    if (g === 'system:masters') causes.push({ field: `groups[${i}]`, message: 'system:masters is not granted through user credentials' });
  });
  const ttl = body.ttlSeconds ?? 365 * 86_400;
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 60 || ttl > MAX_TTL) causes.push({ field: 'ttlSeconds', message: `Invalid value: ${JSON.stringify(ttl)}: must be a whole number of seconds from 60 to 10 years` });
  if (body.token !== undefined && typeof body.token !== 'boolean') causes.push({ field: 'token', message: 'must be true or false' });
  if (causes.length > 0) throw new ApiError('Invalid', `user request is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join('; ')}`, { kind: 'User', causes });
  return { name: name as string, groups: groups as string[], ttlSeconds: ttl as number, token: body.token === true };
}

/** Serve one identity route for ID. */
export async function serveIdentityApi(deps: IdentityApiDeps, id: Identity, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  if (await serveUserAdmin(deps, id, req, res, pathname)) return;
  if (req.method !== 'POST') throw new ApiError('MethodNotAllowed', `${req.method ?? ''} is not allowed on ${pathname}: use POST`);
  if (reviewPath.test(pathname)) {
    // Every authenticated caller may ask who it is (Kubernetes' system:basic-user grants the same).
    req.resume();
    const version = pathname.split('/')[3]!;
    sendJson(res, 201, { kind: 'SelfSubjectReview', apiVersion: `authentication.k8s.io/${version}`, metadata: { creationTimestamp: new Date().toISOString() }, status: { userInfo: userInfo(id) } });
    return;
  }
  const tr = tokenRequestPath.exec(pathname);
  if (tr) {
    sendJson(res, 201, await serveTokenRequest(deps.api, deps.serviceAccountTokens, id, tr[1]!, decodeURIComponent(tr[3]!), await readObject(req)));
    return;
  }
  authorize(id, { verb: 'create', resource: 'users' });
  if (id.role !== 'admin') throw new ApiError('Forbidden', `${id.name} may not create users: only the admin may`);
  const want = userRequest(await readObject(req));
  const base = { kind: 'UserCredential', apiVersion: 'lantern.dev/v1', user: want.name, groups: want.groups, caCert: deps.caCert };
  if (want.token) {
    const made = await deps.userTokens.create({ user: want.name, groups: want.groups, ttlSeconds: want.ttlSeconds });
    sendJson(res, 201, { ...base, token: made.token, ...(made.expires ? { expires: made.expires } : {}) });
    return;
  }
  const days = Math.max(1, Math.ceil(want.ttlSeconds / 86_400));
  const issued = await deps.issueClientCert(want.name, want.groups, days);
  sendJson(res, 201, { ...base, clientCertificate: issued.cert, clientKey: issued.key, expires: new Date(Date.now() + days * 86_400_000).toISOString() });
}

/** GET users and DELETE users/NAME (admin only): true when PATHNAME/method was one of them. */
async function serveUserAdmin(deps: IdentityApiDeps, id: Identity, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
  const one = userPath.exec(pathname);
  const list = pathname === usersPath && req.method === 'GET';
  if (!list && one === null) return false;
  const verb = list ? 'list' : 'delete';
  if (one !== null && req.method !== 'DELETE') throw new ApiError('MethodNotAllowed', `${req.method ?? ''} is not allowed on ${pathname}: use DELETE (revoke the user's tokens)`);
  authorize(id, { verb, resource: 'users' });
  // Token users are the cluster's root list of people: never delegated through RBAC.
  if (id.role !== 'admin') throw new ApiError('Forbidden', `${id.name} may not ${verb} users: only the admin may`);
  req.resume();
  if (list) {
    sendJson(res, 200, { kind: 'UserTokenList', apiVersion: 'lantern.dev/v1', items: await deps.userTokens.list() });
    return true;
  }
  const name = decodeURIComponent(one![1]!);
  const revoked = await deps.userTokens.revoke(name);
  if (revoked.length === 0) throw new ApiError('NotFound', `user "${name}" has no tokens (certificate users cannot be revoked: their certificate lives until it expires; keep --ttl short)`);
  sendJson(res, 200, { kind: 'Status', apiVersion: 'v1', status: 'Success', details: { name, kind: 'users', revokedTokens: revoked } });
  return true;
}
