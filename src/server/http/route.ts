import { ApiError } from '../../api/errors.js';

/** API groups served under /apis/GROUP/VERSION besides the core /api/v1. */
const servedGroups = new Set(['batch/v1', 'apps/v1', 'autoscaling/v2']);

/** Object kinds of the lantern.dev/v1 group (served like the core group's). */
const lanternResources = new Set(['queues', 'podgroups', 'workflows']);

/** A parsed API path. */
export type Route =
  | { type: 'resource'; resource: string; namespace?: string; name?: string; sub?: string }
  | { type: 'images'; ref?: string }
  | { type: 'health'; what: 'healthz' | 'readyz' | 'version' };

/** Parse the path part of a request URL into a route; NotFound for anything else. */
export function parseRoute(pathname: string): Route {
  if (pathname === '/healthz' || pathname === '/livez') return { type: 'health', what: 'healthz' };
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
  // lantern.dev/v1 also has non-object routes (images, nodes/join), so only its kinds' paths count.
  const lanternKind = parts[0] === 'apis' && parts[1] === 'lantern.dev' && parts[2] === 'v1'
    && lanternResources.has((parts[3] === 'namespaces' ? parts[5] : parts[3]) ?? '');
  const grouped = lanternKind || (parts[0] === 'apis' && parts[1] !== undefined && servedGroups.has(`${parts[1]}/${parts[2] ?? ''}`));
  if ((parts[0] === 'api' && parts[1] === 'v1') || grouped) {
    const rest = parts.slice(grouped ? 3 : 2);
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      const [, namespace, resource, name, sub] = rest;
      if (rest.length <= 5) return { type: 'resource', resource: resource!, namespace, name, sub };
    } else if (rest.length >= 1 && rest.length <= 3) {
      const [resource, name, sub] = rest;
      return { type: 'resource', resource: resource!, name, sub };
    }
  }
  throw new ApiError('NotFound', `no API route for path ${pathname}`);
}
