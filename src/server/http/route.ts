import { ApiError } from '../../api/errors.js';

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
  if (parts[0] === 'api' && parts[1] === 'v1') {
    const rest = parts.slice(2);
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
