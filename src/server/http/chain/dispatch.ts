/**
 * The dispatch step: the route table. By the time a request gets here it has passed the limits,
 * was authenticated, audited and authorized (route-level; object access is checked per call by
 * authorizedClient). New routes go here; a route whose checks need more than authz.ts's rules adds
 * them to authorize.ts.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { ApiError } from '../../../api/errors.js';
import type { Identity } from '../auth.js';
import type { ApiClient } from '../../../client/types.js';
import { authorizedClient } from '../authz.js';
import { joinPath, serveJoin } from '../join.js';
import { isCredentialsPath, serveCredentialsApi } from '../credentials-api.js';
import { isSecretsEncryptionPath, serveSecretsEncryption } from '../secrets-encryption.js';
import { isMetricsPath, serveMetricsRoute } from '../node-metrics.js';
import type { MetricsApi } from '../metrics-api.js';
import { servePodExec, servePodLog, servePodStats } from '../pod-io.js';
import { servePortForward } from '../port-forward-protocols.js';
import { kubeStreamProtocol, serveKubeExec } from '../kube-exec.js';
import { serveImages } from '../images.js';
import { serveResource } from '../resources.js';
import { sendJson } from '../respond.js';
import { serveHealth } from '../health.js';
import { requestUrl } from '../request-url.js';
import { parseRoute } from '../route.js';
import { discoveryDocument } from '../discovery-routes.js';
import { versionInfo } from '../version-info.js';
import { openApiV3 } from '../openapi.js';
import { openApiV2 } from '../openapi-v2.js';
import { isAutoscalingV1Path, serveAutoscalingV1 } from '../autoscaling-v1.js';
import { serveTunnel, tunnelNode } from '../../tunnel/serve-tunnel.js';
import { relayNode, serveRelay } from '../../tunnel/relay.js';
import { agentVersionHeader, agentVersionOf, checkAgentVersion } from '../../version-skew.js';
import type { ApiServerOptions } from '../server.js';
import { isRegistryPath } from './authenticate.js';
import { isIdentityPath, serveIdentityApi } from '../../identity/index.js';
import { isAccessReviewPath, serveAccessReview } from '../../rbac/access-review.js';

/** The caller, for routes that never run anonymously (authentication already refused a missing token). */
function caller(id: Identity | undefined): Identity {
  if (id === undefined) throw new ApiError('Unauthorized', 'a bearer token is required: pass --token, set LANTERN_TOKEN, or use the admin config the server wrote');
  return id;
}

/** Route a plain (non-upgrade) request to its handler. */
export async function dispatch(opts: ApiServerOptions, metricsApi: MetricsApi, req: http.IncomingMessage, res: http.ServerResponse, id: Identity | undefined, audited: (api: ApiClient) => ApiClient = (api) => api): Promise<void> {
  const url = requestUrl(req);
  if (url.pathname === '/cacerts' && opts.caCert !== undefined) {
    res.writeHead(200, { 'content-type': 'application/x-pem-file', 'content-length': Buffer.byteLength(opts.caCert) });
    res.end(opts.caCert);
    return;
  }
  if (url.pathname === joinPath && opts.joins !== undefined) {
    await serveJoin(req, res, caller(id), opts.joins, opts.version);
    return;
  }
  if (url.pathname === '/apis/lantern.dev/v1/servers/join' && opts.serverJoin !== undefined) {
    await opts.serverJoin(req, res, caller(id));
    return;
  }
  if (opts.credentials !== undefined && isCredentialsPath(url.pathname)) {
    await serveCredentialsApi(opts.credentials, caller(id), req, res, url.pathname);
    return;
  }
  if (opts.identity !== undefined && isIdentityPath(url.pathname)) {
    await serveIdentityApi(opts.identity, caller(id), req, res, url.pathname);
    return;
  }
  if (opts.rbac !== undefined && isAccessReviewPath(url.pathname)) {
    await serveAccessReview(opts.rbac, caller(id), req, res, url.pathname);
    return;
  }
  if (opts.secretsEncryption !== undefined && isSecretsEncryptionPath(url.pathname)) {
    await serveSecretsEncryption(opts.secretsEncryption, caller(id), req, res, url);
    return;
  }
  if (opts.registry && isRegistryPath(url.pathname)) {
    await opts.registry(req, res, id);
    return;
  }
  if (isMetricsPath(url.pathname)) {
    await serveMetricsRoute({ nodes: opts.nodes, metrics: opts.metrics, metricsApi }, caller(id), req, res, url);
    return;
  }
  // Discovery answers its own paths only as written: /api/v1/jobs/.. is no discovery request.
  const asWritten = !/(^|\/)(\.|%2e)(\.|%2e)?(\/|$)/i.test((req.url ?? '').split('?')[0] ?? '');
  if (req.method === 'GET' && asWritten && (url.pathname === '/api' || url.pathname.startsWith('/api/') || url.pathname.startsWith('/apis'))) {
    const doc = discoveryDocument(url.pathname, req);
    if (doc !== undefined) { caller(id); sendJson(res, 200, doc); return; }
  }
  if (req.method === 'GET' && asWritten && url.pathname.replace(/\/+$/, '') === '/openapi/v2') {
    const v2 = openApiV2(req.headers.accept);
    caller(id);
    res.writeHead(v2.status, { 'content-type': v2.type, 'content-length': Buffer.byteLength(v2.body), ...(v2.etag !== undefined ? { etag: v2.etag } : {}) });
    res.end(v2.body);
    return;
  }
  if (req.method === 'GET' && asWritten && url.pathname.startsWith('/openapi/v3')) {
    const text = openApiV3(url.pathname);
    if (text !== undefined) {
      caller(id);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
  }
  if (isAutoscalingV1Path(url.pathname)) {
    await serveAutoscalingV1(audited(authorizedClient(opts.api, caller(id), opts.nodeRestriction)), req, res, url);
    return;
  }
  const route = parseRoute(url.pathname);
  if (route.type === 'health') {
    if (route.what === 'version') { sendJson(res, 200, versionInfo(opts.version)); return; }
    await serveHealth(res, route.what, url.searchParams, { ready: opts.ready, store: opts.storeHealth });
    return;
  }
  const who = caller(id);
  if (route.type === 'images') { await serveImages(opts.nodes, req, res, route.ref, url.searchParams); return; }
  if (route.resource === 'pods' && route.name !== undefined && (route.sub === 'log' || route.sub === 'stats')) {
    const ns = route.namespace ?? 'default';
    if (route.sub === 'log') await servePodLog(opts.api, opts.nodes, req, res, ns, route.name, url.searchParams);
    else await servePodStats(opts.api, opts.nodes, res, ns, route.name);
    return;
  }
  await serveResource(audited(authorizedClient(opts.api, who, opts.nodeRestriction)), req, res, route, url.searchParams);
}

/** Route an upgrade (the node tunnel, exec, attach, port-forward) to its handler. */
export async function dispatchUpgrade(opts: ApiServerOptions, req: http.IncomingMessage, socket: Duplex): Promise<void> {
  const url = requestUrl(req);
  const tunnelFor = tunnelNode(url.pathname);
  if (tunnelFor !== undefined) {
    checkAgentVersion(agentVersionOf(req.headers), opts.version, `header ${agentVersionHeader}`);
    await serveTunnel(opts.nodes, req, socket, tunnelFor);
    return;
  }
  const relayFor = relayNode(url.pathname);
  if (relayFor !== undefined) { serveRelay(opts.nodes, req, socket, relayFor); return; }
  const route = parseRoute(url.pathname);
  if (route.type !== 'resource' || route.resource !== 'pods' || (route.sub !== 'exec' && route.sub !== 'attach' && route.sub !== 'portforward') || route.name === undefined) {
    throw new ApiError('NotFound', `no upgrade route for ${url.pathname}`);
  }
  const ns = route.namespace ?? 'default';
  if (route.sub === 'portforward') {
    await servePortForward(opts, req, socket, ns, route.name, url.searchParams);
    return;
  }
  if (kubeStreamProtocol(req) !== undefined) {
    await serveKubeExec(opts.api, opts.nodes, req, socket, ns, route.name, url.searchParams, route.sub);
    return;
  }
  await servePodExec(opts.api, opts.nodes, req, socket, ns, route.name, url.searchParams, route.sub);
}
