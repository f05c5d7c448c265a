/**
 * A request's URL, parsed as every step of the chain parses it (request-info.ts too): relative to a
 * dummy origin. Some request targets are no URL at all ("//", "//[", "//%zz"): `new URL` throws
 * for them, which in a request handler used to escape as an uncaught exception.
 */
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../../api/errors.js';

/** The request's URL; a target that is no URL is a 400 naming it. */
export function requestUrl(req: IncomingMessage): URL {
  const raw = req.url ?? '/';
  // A URL parser resolves "." and ".." (also as %2e): .../storageclasses/.. would be served as the
  // namespace above it. No object is named so (Kubernetes refuses those names), so refuse the path.
  const dotSegment = raw.split(/[?#]/, 1)[0]!.split('/').find((seg) => /^(\.|%2e){1,2}$/i.test(seg));
  if (dotSegment !== undefined) throw new ApiError('BadRequest', `path segment ${JSON.stringify(dotSegment)} is not allowed: "." and ".." are no object names, and paths are not resolved`);
  try {
    return new URL(raw, 'http://lantern');
  } catch {
    throw new ApiError('BadRequest', `malformed request target ${JSON.stringify(raw.slice(0, 200))}: send a path such as /api/v1/namespaces/default/pods, percent-encoded`);
  }
}

/** requestUrl for what must not throw (metrics, logs): a target that is no URL reads as "/". */
export function requestUrlOrRoot(req: IncomingMessage): URL {
  try { return requestUrl(req); } catch { return new URL('http://lantern/'); }
}
