import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import type { ApiClient } from '../../client/types.js';
import { ApiError } from '../../api/errors.js';
import type { NodeRegistry } from '../node-registry.js';
import type { Identity, TokenAuthenticator } from './auth.js';
import { parseRoute } from './route.js';
import { sendError, sendJson } from './respond.js';
import { serveResource } from './resources.js';
import { servePodExec, servePodLog, servePodStats } from './pod-io.js';
import { servePodPortForward } from './port-forward.js';
import { serveImages } from './images.js';
import { authorize, authorizedClient, nodeNameOf } from './authz.js';
import { joinPath, serveJoin } from './join.js';
import { serveTunnel, tunnelNode } from '../tunnel/serve-tunnel.js';
import type { Registry } from '../../metrics/registry.js';
import { RequestMetrics } from './request-metrics.js';
import { isMetricsPath, serveMetricsRoute } from './node-metrics.js';
import { MetricsApi } from './metrics-api.js';

export interface ApiServerOptions {
  api: ApiClient;
  nodes: NodeRegistry;
  auth: TokenAuthenticator;
  version: string;
  /** PEM key and certificate: serve HTTPS when given. */
  tls?: { key: string; cert: string };
  /** Reports readiness for /readyz. */
  ready?: () => boolean;
  /** The CA bundle served without authentication at GET /cacerts (pinned by join tokens). */
  caCert?: string;
  /** Issue a node's credential; enables the join endpoint. */
  issueNodeCredential?: (nodeName: string) => Promise<string>;
  /**
   * Serves every path under /v2/ (the daemon plugs the image registry in here) with the caller's
   * identity, or undefined when no valid token came: the handler answers auth errors itself.
   */
  registry?: (req: http.IncomingMessage, res: http.ServerResponse, caller: Identity | undefined) => Promise<void>;
  /** Where request metrics go and what GET /metrics exposes; absent: no request metrics, /metrics is 404. */
  metrics?: Registry;
}

/** The HTTP adapter over the API service: routing, authentication, streaming and errors. */
export function createApiServer(opts: ApiServerOptions): http.Server {
  const requests = opts.metrics ? new RequestMetrics(opts.metrics) : undefined;
  const metricsApi = new MetricsApi(opts.nodes);
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    requests?.track(req, res);
    handle(opts, req, res, metricsApi).catch((e: unknown) => sendError(res, e));
  };
  const server = opts.tls ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) : http.createServer(handler);
  server.keepAliveTimeout = 65_000;
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex) => {
    upgrade(opts, req, socket).catch((e: unknown) => {
      const err = e instanceof ApiError ? e : new ApiError('Internal', String(e));
      const body = JSON.stringify(err.toBody());
      socket.end(`HTTP/1.1 ${err.status} ${err.code}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    });
  });
  return server;
}

async function handle(opts: ApiServerOptions, req: http.IncomingMessage, res: http.ServerResponse, metricsApi: MetricsApi): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://lantern');
  if (url.pathname === '/cacerts' && opts.caCert !== undefined) {
    res.writeHead(200, { 'content-type': 'application/x-pem-file', 'content-length': Buffer.byteLength(opts.caCert) });
    res.end(opts.caCert);
    return;
  }
  if (url.pathname === joinPath && opts.issueNodeCredential !== undefined) {
    authorize(await opts.auth.authenticate(req), { verb: 'join', resource: 'nodes' });
    await serveJoin(req, res, opts.issueNodeCredential);
    return;
  }
  if (opts.registry && (url.pathname === '/v2' || url.pathname.startsWith('/v2/'))) {
    await opts.registry(req, res, await opts.auth.identify(req));
    return;
  }
  if (isMetricsPath(url.pathname)) {
    await serveMetricsRoute({ nodes: opts.nodes, metrics: opts.metrics, metricsApi }, await opts.auth.authenticate(req), req, res, url);
    return;
  }
  const route = parseRoute(url.pathname);
  if (route.type === 'health') {
    if (route.what === 'version') { sendJson(res, 200, { version: opts.version, platform: `${process.platform}/${process.arch}` }); return; }
    const ok = route.what === 'healthz' || (opts.ready?.() ?? true);
    res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' });
    res.end(ok ? 'ok' : 'not ready');
    return;
  }
  const id = await opts.auth.authenticate(req);
  if (route.type === 'images') { authorize(id, { verb: 'images', resource: 'images' }); await serveImages(opts.nodes, req, res, route.ref, url.searchParams); return; }
  if (route.resource === 'pods' && route.name !== undefined && (route.sub === 'log' || route.sub === 'stats')) {
    const ns = route.namespace ?? 'default';
    authorize(id, { verb: route.sub, resource: 'pods', namespace: ns, name: route.name });
    if (route.sub === 'log') await servePodLog(opts.api, opts.nodes, req, res, ns, route.name, url.searchParams);
    else await servePodStats(opts.api, opts.nodes, res, ns, route.name);
    return;
  }
  if (route.name === undefined && req.method === 'GET' && ['1', 'true'].includes(url.searchParams.get('watch') ?? '')) {
    // serveWatch sends its headers before it starts the watch, so check here to answer a plain 403.
    authorize(id, { verb: 'watch', resource: route.resource, namespace: route.namespace, fieldSelector: url.searchParams.get('fieldSelector') ?? undefined });
  }
  await serveResource(authorizedClient(opts.api, id), req, res, route, url.searchParams);
}

async function upgrade(opts: ApiServerOptions, req: http.IncomingMessage, socket: Duplex): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://lantern');
  const tunnelFor = tunnelNode(url.pathname);
  if (tunnelFor !== undefined) {
    const who = await opts.auth.authenticate(req);
    authorize(who, { verb: 'tunnel', resource: 'nodes', name: tunnelFor });
    // Even an admin may not pose as a node: only system:node:NAME carries NAME's pod traffic.
    if (nodeNameOf(who) !== tunnelFor) throw new ApiError('Forbidden', `${who.name} may not open the tunnel of node "${tunnelFor}": only that node's own credential may`);
    serveTunnel(opts.nodes, req, socket, tunnelFor);
    return;
  }
  const route = parseRoute(url.pathname);
  const id = await opts.auth.authenticate(req);
  if (route.type !== 'resource' || route.resource !== 'pods' || (route.sub !== 'exec' && route.sub !== 'attach' && route.sub !== 'portforward') || route.name === undefined) {
    throw new ApiError('NotFound', `no upgrade route for ${url.pathname}`);
  }
  if (route.sub === 'portforward') {
    authorize(id, { verb: 'portforward', resource: 'pods', namespace: route.namespace ?? 'default', name: route.name });
    await servePodPortForward(opts.api, opts.nodes, socket, route.namespace ?? 'default', route.name, url.searchParams);
    return;
  }
  authorize(id, { verb: route.sub, resource: 'pods', namespace: route.namespace ?? 'default', name: route.name });
  await servePodExec(opts.api, opts.nodes, req, socket, route.namespace ?? 'default', route.name, url.searchParams, route.sub);
}
