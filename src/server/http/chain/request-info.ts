/**
 * What a request is about, from its method and URL alone (kube-apiserver's RequestInfoFactory): the
 * limits, audit and authorization steps all read this one description. It never throws: a path no
 * route serves is a non-resource request, and routing answers it later.
 */
import type { IncomingMessage } from 'node:http';

/** A request as the handler chain sees it. */
export interface RequestInfo {
  method: string;
  /** The URL's path, undecoded, and its query. */
  path: string;
  query: URLSearchParams;
  /** The path plus query as received (for the audit log). */
  uri: string;
  /** True for /api/v1/... and /apis/GROUP/VERSION/RESOURCE...; false for /healthz, /v2/..., /metrics. */
  isResourceRequest: boolean;
  /** Kubernetes' verb: get list watch create update patch delete deletecollection; a lower-case method otherwise. */
  verb: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  /** Watches, logs, exec/attach/port-forward, proxies, the tunnel and image streams: no in-flight slot, no body deadline. */
  longRunning: boolean;
  /** Anything but GET, HEAD and OPTIONS. */
  mutating: boolean;
}

/** Subresources whose answer streams for as long as the client wants (kube-apiserver's list, plus the tunnel). */
const longRunningSubresources = new Set(['log', 'exec', 'attach', 'portforward', 'proxy', 'tunnel']);

/** lantern.dev/v1 image operations that stream an archive or progress lines. */
const imageStreams = new Set(['build', 'pull', 'push', 'save']);
/** lantern.dev/v1 image paths that are operations, not image names. */
const imageOps = new Set([...imageStreams, 'tag', 'inspect', 'prune']);

const readOnlyMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

function segments(path: string): string[] {
  return path.split('/').filter((p) => p !== '').map((p) => {
    try { return decodeURIComponent(p); } catch { return p; }
  });
}

/** Describe REQ (method and URL only: no body is read). */
export function requestInfo(req: IncomingMessage): RequestInfo {
  const method = (req.method ?? 'GET').toUpperCase();
  const uri = req.url ?? '/';
  let url: URL;
  try { url = new URL(uri, 'http://lantern'); } catch { url = new URL('http://lantern/'); }
  const info: RequestInfo = {
    method, path: url.pathname, query: url.searchParams, uri, isResourceRequest: false, verb: method.toLowerCase(),
    apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '', longRunning: false, mutating: !readOnlyMethods.has(method),
  };
  const parts = segments(url.pathname);
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) { info.apiVersion = parts[1]!; rest = parts.slice(2); }
  else if (parts[0] === 'apis' && parts.length >= 4) { info.apiGroup = parts[1]!; info.apiVersion = parts[2]!; rest = parts.slice(3); }
  else {
    // The registry streams blobs (pulls and pushes of layers) through /v2/NAME/blobs/...
    info.longRunning = /^\/v2\/.+\/blobs\//.test(url.pathname);
    return info;
  }
  info.isResourceRequest = true;
  // namespaces/NAME/status and /finalize are the Namespace's own subresources (as kube-apiserver's RequestInfo).
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))) {
    info.namespace = rest[1]!;
    rest = rest.slice(2);
  }
  info.resource = rest[0] ?? '';
  info.name = rest[1] ?? '';
  info.subresource = rest.slice(2).join('/');
  if (info.resource === 'nodes' && info.name === 'join' && rest.length === 2 && info.apiGroup === 'lantern.dev') {
    info.name = '';
    info.subresource = 'join';
  }
  if (info.resource === 'images' && info.apiGroup === 'lantern.dev' && imageOps.has(info.name)) {
    info.subresource = info.name;
    info.name = '';
  }
  // A proxy path's first segment is the subresource (nodes/NAME/proxy/metrics/cadvisor).
  if (info.subresource.startsWith('proxy/')) info.subresource = 'proxy';
  const watch = ['1', 'true'].includes(url.searchParams.get('watch') ?? '');
  info.verb = method === 'GET' || method === 'HEAD' ? (watch ? 'watch' : info.name === '' && info.subresource === '' ? 'list' : 'get')
    : method === 'POST' ? 'create' : method === 'PUT' ? 'update' : method === 'PATCH' ? 'patch'
      : method === 'DELETE' ? (info.name === '' && info.subresource === '' ? 'deletecollection' : 'delete') : method.toLowerCase();
  const imageImport = info.resource === 'images' && info.apiGroup === 'lantern.dev' && method === 'POST' && info.name === '' && info.subresource === '';
  info.longRunning = info.verb === 'watch' || longRunningSubresources.has(info.subresource)
    || (info.resource === 'images' && imageStreams.has(info.subresource)) || imageImport;
  return info;
}
