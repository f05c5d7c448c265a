/**
 * Metrics routes beside the object API: the server's own /metrics, a node's cAdvisor metrics at
 * Kubernetes' proxy path, and the metrics.k8s.io API that `lcctl top` reads.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../../api/errors.js';
import { contentType, type Registry } from '../../metrics/registry.js';
import type { NodeRegistry } from '../node-registry.js';
import type { Identity } from './auth.js';
import { authorize } from './authz.js';
import { sendJson } from './respond.js';
import type { MetricsApi } from './metrics-api.js';

const proxyPath = /^\/api\/v1\/nodes\/([^/]+)\/proxy\/metrics(?:\/cadvisor|\/resource)?$/;
const metricsApiPrefix = '/apis/metrics.k8s.io/v1beta1';

/** True for the paths serveMetricsRoute answers. */
export function isMetricsPath(pathname: string): boolean {
  return pathname === '/metrics' || proxyPath.test(pathname) || pathname === metricsApiPrefix || pathname.startsWith(`${metricsApiPrefix}/`);
}

/** Fetches one node's metrics text, naming the node when it cannot. */
export async function fetchNodeMetrics(nodes: NodeRegistry, name: string): Promise<string> {
  const node = nodes.get(name);
  if (!node.nodeMetrics) throw new ApiError('BadRequest', `node "${name}" does not serve metrics: upgrade its agent`);
  return node.nodeMetrics();
}

/** Answers /metrics, /api/v1/nodes/NAME/proxy/metrics/cadvisor and /apis/metrics.k8s.io/v1beta1/... */
export async function serveMetricsRoute(
  deps: { nodes: NodeRegistry; metrics?: Registry; metricsApi: MetricsApi },
  id: Identity, req: IncomingMessage, res: ServerResponse, url: URL,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new ApiError('MethodNotAllowed', `${req.method ?? ''} is not allowed on ${url.pathname}: use GET`);
  const p = url.pathname;
  if (p === '/metrics') {
    authorize(id, { verb: 'get', resource: 'metrics' });
    if (!deps.metrics) throw new ApiError('NotFound', 'this server does not collect metrics');
    sendText(res, await deps.metrics.expose());
    return;
  }
  const proxy = proxyPath.exec(p);
  if (proxy) {
    const name = decodeURIComponent(proxy[1]!);
    authorize(id, { verb: 'get', resource: 'nodes/proxy', name });
    sendText(res, await fetchNodeMetrics(deps.nodes, name));
    return;
  }
  const parts = p.slice(metricsApiPrefix.length).split('/').filter((x) => x !== '').map(decodeURIComponent);
  if (parts.length === 0) {
    sendJson(res, 200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'metrics.k8s.io/v1beta1', resources: [
      { name: 'nodes', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'] },
      { name: 'pods', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] },
    ] });
    return;
  }
  if (parts[0] === 'nodes' && parts.length <= 2) {
    authorize(id, { verb: parts[1] === undefined ? 'list' : 'get', resource: 'metrics.k8s.io/nodes', name: parts[1] });
    sendJson(res, 200, await deps.metricsApi.nodes(parts[1]));
    return;
  }
  const ns = parts[0] === 'namespaces' ? parts[1] : undefined;
  const rest = parts[0] === 'namespaces' ? parts.slice(2) : parts;
  if (rest[0] === 'pods' && rest.length <= 2 && (parts[0] !== 'namespaces' || ns !== undefined)) {
    authorize(id, { verb: rest[1] === undefined ? 'list' : 'get', resource: 'metrics.k8s.io/pods', namespace: ns, name: rest[1] });
    sendJson(res, 200, await deps.metricsApi.pods(ns, rest[1]));
    return;
  }
  throw new ApiError('NotFound', `no metrics route for path ${p}: use ${metricsApiPrefix}/nodes or ${metricsApiPrefix}/namespaces/NS/pods`);
}

function sendText(res: ServerResponse, text: string): void {
  res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
