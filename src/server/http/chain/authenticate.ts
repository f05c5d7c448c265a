/**
 * The authentication step: who sent the request. Health checks, /version and /cacerts are
 * anonymous; the registry (/v2/) accepts Basic credentials too and answers a missing one itself;
 * every other path needs a bearer token (401 otherwise, before any routing, as kube-apiserver).
 */
import type { IncomingMessage } from 'node:http';
import type { Identity, TokenAuthenticator } from '../auth.js';
import type { RequestInfo } from './request-info.js';

/** Paths served without a token (kube-apiserver's health endpoints and their sub-checks). */
export function isAnonymousPath(path: string): boolean {
  return path === '/version' || path === '/cacerts' || /^\/(healthz|livez|readyz)(\/|$)/.test(path);
}

/** True for the registry's paths. */
export const isRegistryPath = (path: string): boolean => path === '/v2' || path.startsWith('/v2/');

/**
 * The caller of REQ: undefined for an anonymous path, or for a registry request without valid
 * credentials (the registry answers it); throws Unauthorized for any other path without a valid token.
 */
export async function authenticateRequest(auth: TokenAuthenticator, req: IncomingMessage, info: RequestInfo, registry: boolean): Promise<Identity | undefined> {
  if (isAnonymousPath(info.path)) return undefined;
  if (registry && isRegistryPath(info.path)) return auth.identify(req);
  return auth.authenticate(req);
}
