/**
 * TokenRequest for the server's own node: its agent holds the in-process ApiService, which has no
 * HTTP routes, so the ServiceAccount token hook (which POSTs the subresource through `json`) would
 * mount nothing. This wraps that API with a `json` that answers the TokenRequest path by calling
 * serveTokenRequest in process as the node's identity: the same checks (a node only for its own pods)
 * as over HTTP.
 */
import { ApiError } from '../../api/errors.js';
import type { ApiClient } from '../../client/types.js';
import type { Identity } from '../http/auth.js';
import type { ServiceAccountTokens } from './sa-tokens.js';
import { serveTokenRequest, tokenRequestPath } from './token-request.js';

/** API plus the `json` caller and CA the token hook looks for (the shape HttpClient has). */
export type TokenCapableApi = ApiClient & { json<T>(method: string, path: string, body?: unknown): Promise<T>; config: { ca?: string } };

/** API with TokenRequest served in process as node NODENAME; CA goes into the pod's ca.crt. */
export function withInProcessTokenRequests(api: ApiClient, tokens: ServiceAccountTokens, nodeName: string, ca: string | undefined): TokenCapableApi {
  const node: Identity = { name: `system:node:${nodeName}`, role: 'node' };
  const json = async <T>(method: string, pathname: string, body?: unknown): Promise<T> => {
    const m = tokenRequestPath.exec(pathname);
    if (method !== 'POST' || m === null) throw new ApiError('NotFound', `${method} ${pathname} is not served in process (only TokenRequest is)`);
    const obj = typeof body === 'object' && body !== null && !Array.isArray(body) ? body as Record<string, unknown> : {};
    return await serveTokenRequest(api, tokens, node, m[1]!, decodeURIComponent(m[3]!), obj) as T;
  };
  const config = { ...(ca !== undefined ? { ca } : {}) };
  // A proxy, not a copy: every other method stays the ApiService's own (bound to it, so its fields work).
  return new Proxy(api, {
    get(target, prop) {
      if (prop === 'json') return json;
      if (prop === 'config') return config;
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  }) as TokenCapableApi;
}
