import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import type { ApiClient } from '../../client/types.js';
import { ApiError } from '../../api/errors.js';
import type { NodeRegistry } from '../node-registry.js';
import type { Identity, TokenAuthenticator } from './auth.js';
import { sendError } from './respond.js';
import type { Registry } from '../../metrics/registry.js';
import { RequestMetrics } from './request-metrics.js';
import { MetricsApi } from './metrics-api.js';
import { requestInfo, type RequestInfo } from './chain/request-info.js';
import { ConnectionLimits, type ServerLimits } from './chain/limits.js';
import { authenticateRequest } from './chain/authenticate.js';
import { InflightLimiter } from './chain/inflight.js';
import { authorizeRequest, authorizeUpgrade } from './chain/authorize.js';
import { dispatch, dispatchUpgrade } from './chain/dispatch.js';
import { AuditRecorder } from './chain/audit.js';
import type { AuditLog } from '../audit/audit-log.js';
import { guardUpgradedSocket } from './upgraded.js';
import type { JoinService } from './join.js';
import type { CredentialsApiDeps } from './credentials-api.js';
import type { SecretsEncryptionAdmin } from './secrets-encryption.js';
import type { NodeRestriction } from '../node-restriction/index.js';
import type { IdentityApiDeps } from '../identity/index.js';
import type { RbacAuthorizer } from '../rbac/authorizer.js';
import { impersonated } from '../rbac/impersonate.js';
import { withAdmissionNotes } from '../admission/context.js';
import { httpNotes } from '../admission/http-notes.js';

export interface ApiServerOptions {
  api: ApiClient;
  nodes: NodeRegistry;
  auth: TokenAuthenticator;
  version: string;
  /** PEM key and certificate: serve HTTPS when given. */
  tls?: { key: string; cert: string };
  /** Reports readiness for /readyz. */
  ready?: () => boolean;
  /** Whether the store can write, for /healthz and /readyz (store-health.ts): undefined when it can, else why not. */
  storeHealth?: () => Promise<string | undefined>;
  /** The CA bundle served without authentication at GET /cacerts (pinned by join tokens). */
  caCert?: string;
  /** Node joins (credentials, node secrets, joins per minute); enables the join endpoint. */
  joins?: JoinService;
  /** Join tokens, node credentials and admin-token rotation (admin only); enables their routes. */
  credentials?: CredentialsApiDeps;
  /** Secrets encryption at rest: status, rotate-keys, reencrypt (admin only); enables their routes. */
  secretsEncryption?: SecretsEncryptionAdmin;
  /**
   * Serves every path under /v2/ (the daemon plugs the image registry in here) with the caller's
   * identity, or undefined when no valid token came: the handler answers auth errors itself.
   */
  registry?: (req: http.IncomingMessage, res: http.ServerResponse, caller: Identity | undefined) => Promise<void>;
  /** Where request metrics go and what GET /metrics exposes; absent: no request metrics, /metrics is 404. */
  metrics?: Registry;
  /** In-flight and per-address caps, header/body/idle times; unset fields take chain/limits.ts's defaults. */
  limits?: Partial<ServerLimits>;
  /** What a node identity may write (labels, taints, claims, pod status, events per second); absent: the defaults. */
  nodeRestriction?: NodeRestriction;
  /** The audit log (--audit-log-path): one audit.k8s.io/v1 Event per request, upgrades included. */
  audit?: AuditLog;
  /** Users, whoami and ServiceAccount tokens (server/identity); enables their routes. */
  identity?: IdentityApiDeps;
  /** The RBAC authorizer (server/rbac): serves authorization.k8s.io's access reviews; absent: 404. */
  rbac?: RbacAuthorizer;
  /** POST /apis/lantern.dev/v1/servers/join (daemon/embedded-etcd, admin only): a further HA server joins; absent: 404. */
  serverJoin?: (req: http.IncomingMessage, res: http.ServerResponse, caller: Identity) => Promise<void>;
}

/** Ask for a client certificate, never require one: a user's, signed by the CA, names it (server/identity/client-cert.ts). */
const clientCertOptions = (ca: string | undefined): https.ServerOptions => (ca === undefined ? {} : { requestCert: true, rejectUnauthorized: false, ca });

/** What the steps of the handler chain share. */
interface Chain { opts: ApiServerOptions; metricsApi: MetricsApi; limits: ConnectionLimits; inflight: InflightLimiter }

/**
 * The HTTP adapter over the API service. Each request passes the steps of a handler chain, as in
 * kube-apiserver, each in its own file under chain/: audit (wraps the whole request) -> limits
 * (per-address cap, body deadline) -> authentication -> in-flight cap -> authorization -> dispatch
 * (the route table).
 */
export function createApiServer(opts: ApiServerOptions): http.Server {
  const requests = opts.metrics ? new RequestMetrics(opts.metrics) : undefined;
  const limits = new ConnectionLimits(opts.limits);
  const chain: Chain = { opts, metricsApi: new MetricsApi(opts.nodes), limits, inflight: new InflightLimiter(limits.limits, opts.metrics) };
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    requests?.track(req, res);
    const info = requestInfo(req);
    const audit = opts.audit ? AuditRecorder.forRequest(opts.audit, info, req, res) : undefined;
    // Admission's Warning headers and audit annotations (server/admission/context.ts) go to this request.
    withAdmissionNotes(httpNotes(res, audit), () => handle(chain, req, res, info, audit)).catch((e: unknown) => { audit?.failed(e); sendError(res, e); });
  };
  const server = opts.tls ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert, ...clientCertOptions(opts.caCert), ...limits.serverOptions() }, handler) : http.createServer(limits.serverOptions(), handler);
  limits.attach(server);
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex) => {
    guardUpgradedSocket(socket);
    const info = requestInfo(req);
    const audit = opts.audit ? AuditRecorder.forUpgrade(opts.audit, info, req, socket) : undefined;
    upgrade(chain, req, socket, info, audit).catch((e: unknown) => {
      audit?.failed(e);
      const err = e instanceof ApiError ? e : new ApiError('Internal', String(e));
      const body = JSON.stringify(err.toBody());
      const retry = err.status === 429 ? 'retry-after: 1\r\n' : '';
      socket.end(`HTTP/1.1 ${err.status} ${err.code}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${retry}connection: close\r\n\r\n${req.method === 'HEAD' ? '' : body}`); // no body for HEAD
    });
  });
  return server;
}

/** One request through the chain; a step that refuses throws an ApiError, which becomes the answer. */
async function handle(chain: Chain, req: http.IncomingMessage, res: http.ServerResponse, info: RequestInfo, audit: AuditRecorder | undefined): Promise<void> {
  chain.limits.admit(req, res, info);
  const id = impersonated(await authenticateRequest(chain.opts.auth, req, info, chain.opts.registry !== undefined), req, chain.opts.auth.userAuthorizer);
  audit?.identify(id);
  chain.inflight.admit(info, id, res);
  if (id !== undefined) await authorizeRequest(id, info, chain.opts.api);
  await dispatch(chain.opts, chain.metricsApi, req, res, id, audit ? (api) => audit.client(api) : undefined);
}

/** An upgrade (tunnel, exec, attach, port-forward) through the chain: no in-flight slot, no body deadline. */
async function upgrade(chain: Chain, req: http.IncomingMessage, socket: Duplex, info: RequestInfo, audit: AuditRecorder | undefined): Promise<void> {
  chain.limits.admitUpgrade(req);
  const id = impersonated(await chain.opts.auth.authenticate(req), req, chain.opts.auth.userAuthorizer)!;
  audit?.identify(id);
  authorizeUpgrade(id, info);
  await dispatchUpgrade(chain.opts, req, socket);
}
