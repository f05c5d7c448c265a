import { ApiError } from '../../api/errors.js';
import { kindModules, kinds } from '../../api/kinds/index.js';
import { groupVersionPath } from '../../api/kinds/module.js';

export { groupVersionPath };

/** The group versions served: each kind's own (the core group's is "v1"). */
const servedGroupVersions = new Set(kindModules.map((k) => k.apiVersion));

/** Subresources of a Namespace, told apart from resources in it as kube-apiserver does. */
export const namespaceSubresources: ReadonlySet<string> = new Set(['status', 'finalize']);

/** A parsed API path. */
export type Route =
  | { type: 'resource'; resource: string; namespace?: string; name?: string; sub?: string }
  | { type: 'images'; ref?: string }
  | { type: 'health'; what: 'livez' | 'healthz' | 'readyz' | 'version' };

/** Parse the path part of a request URL into a route; NotFound for anything else. */
export function parseRoute(pathname: string): Route {
  if (pathname === '/healthz') return { type: 'health', what: 'healthz' };
  if (pathname === '/livez') return { type: 'health', what: 'livez' };
  if (pathname === '/readyz') return { type: 'health', what: 'readyz' };
  if (pathname === '/version') return { type: 'health', what: 'version' };
  let parts: string[];
  try {
    parts = pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
  } catch {
    throw new ApiError('BadRequest', `malformed percent-encoding in path ${pathname}`);
  }
  if (parts[0] === 'apis' && parts[1] === 'lantern.dev' && parts[2] === 'v1' && parts[3] === 'images' && parts.length <= 5) {
    return parts[4] === undefined ? { type: 'images' } : { type: 'images', ref: parts[4] };
  }
  // Named groups (/apis/apps/v1/...) share the core group's layout; the resource name says the kind.
  // lantern.dev/v1's other routes (images, nodes/join, the tunnel) are matched before this.
  const gv = parts[0] === 'api' && parts[1] === 'v1' ? 'v1'
    : parts[0] === 'apis' && parts[1] !== undefined && parts[1] !== '' && servedGroupVersions.has(`${parts[1]}/${parts[2] ?? ''}`) ? `${parts[1]}/${parts[2]!}` : undefined;
  if (gv !== undefined) {
    const rest = parts.slice(gv === 'v1' ? 2 : 3);
    let route: Route | undefined;
    // /api/v1/namespaces/NAME/status|finalize is the Namespace's subresource, not a resource in it.
    if (rest[0] === 'namespaces' && rest.length === 3 && namespaceSubresources.has(rest[2]!)) {
      route = { type: 'resource', resource: 'namespaces', name: rest[1], sub: rest[2] };
    } else if (rest[0] === 'namespaces' && rest.length >= 3) {
      const [, namespace, resource, name, sub] = rest;
      if (rest.length <= 5) route = { type: 'resource', resource: resource!, namespace, name, sub };
    } else if (rest.length >= 1 && rest.length <= 3) {
      const [resource, name, sub] = rest;
      route = { type: 'resource', resource: resource!, name, sub };
    }
    if (route?.type === 'resource') {
      // Each kind only under its own group and version, as kube-apiserver: no secrets under batch/v1.
      const kind = kinds.get(route.resource);
      if (kind !== undefined && kind.apiVersion !== gv) {
        throw new ApiError('NotFound', `the server could not find the requested resource: ${route.resource} are served under ${groupVersionPath(kind.apiVersion)}, not ${groupVersionPath(gv)}`);
      }
      // lantern.dev/v1's other paths (images/a/b) are no object route either.
      if (kind !== undefined || gv !== 'lantern.dev/v1') return route;
    }
  }
  throw new ApiError('NotFound', `no API route for path ${pathname}`);
}
