/** The HTTP server (API, registry under /v2/, metrics) with its limits and audit log, and admin.yaml. */
import type http from 'node:http';
import path from 'node:path';
import { createApiServer } from '../../server/http/server.js';
import { AuditLog } from '../../server/audit/audit-log.js';
import { userConfigPath, writeFileAtomic } from '../credentials.js';
import type { ServerConfig } from '../server-config.js';
import { VERSION } from '../version.js';
import type { Component } from './component.js';
import { installIdentities, type IdentityApiDeps } from '../../server/identity/index.js';
import { issueClientCert } from '../pki/client-cert.js';
import { shareAdminToken } from '../admin-token-sync.js';
import { adminConfigKey, embeddedEtcdKey, apiKey, apiServerKey, auditLogKey, credentialsKey, metricsKey, nodesKey, registryKey, secretsEncryptionKey, securityKey, storeHealthKey, storeKey, rbacKey } from './keys.js';

/** The listening HTTP server and the URL clients reach it by. */
export interface ApiServer { server: http.Server; url: string; /** The identity routes' parts (the own node's in-process TokenRequest uses them). */ identity?: IdentityApiDeps }

/** Opens the audit log; no stop: it flushes on process exit, and requests in flight may still write to it. */
export const auditLog: Component<ServerConfig, AuditLog> = {
  key: auditLogKey,
  requires: [metricsKey],
  enabled: (config) => config.audit !== undefined,
  start: async ({ get, config }) => ({ value: await AuditLog.open({ ...config.audit!, metrics: get(metricsKey).registry }) }),
};

/** Serves the API on --listen; stopping closes it and every connection (watches, streams) at once. */
export const apiServer: Component<ServerConfig, ApiServer> = {
  key: apiServerKey,
  requires: [apiKey, nodesKey, credentialsKey, securityKey, storeHealthKey, registryKey, metricsKey, secretsEncryptionKey, storeKey],
  optional: [auditLogKey, embeddedEtcdKey, rbacKey],
  async start({ get, optional, config, ready }) {
    const creds = get(credentialsKey);
    const security = get(securityKey);
    const storeHealth = get(storeHealthKey);
    // Client certificates, user and ServiceAccount tokens (server/identity), and their routes.
    const identity = await installIdentities({ auth: creds.auth, store: get(storeKey), api: get(apiKey), dataDir: config.dataDir, caCert: security.caCert, issueClientCert: (u, g, d) => issueClientCert(path.join(config.dataDir, 'pki'), u, g, d) });
    const http = createApiServer({
      api: creds.guard(get(apiKey)), nodes: get(nodesKey), auth: creds.auth, version: config.version ?? VERSION, ready, tls: security.tls, caCert: security.caCert,
      storeHealth: storeHealth.check.bind(storeHealth),
      ...creds.apiOptions,
      registry: get(registryKey).handler,
      metrics: get(metricsKey).registry,
      secretsEncryption: get(secretsEncryptionKey),
      limits: config.limits, audit: optional(auditLogKey),
      nodeRestriction: config.nodeRestriction,
      identity,
      rbac: optional(rbacKey),
      serverJoin: optional(embeddedEtcdKey)?.joinHandler,
    });
    const { host, port } = config.listen;
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(port, host, () => { http.off('error', reject); resolve(); });
    });
    const address = http.address();
    const boundPort = typeof address === 'object' && address ? address.port : port;
    const url = `${security.scheme}://${host === '0.0.0.0' ? '127.0.0.1' : host}:${boundPort}`;
    return { value: { server: http, url, identity }, stop: () => { http.close(); http.closeAllConnections(); } };
  },
};

/** Tells the admin token where the server is, and writes the admin config. */
export const adminConfig: Component<ServerConfig, string> = {
  key: adminConfigKey,
  requires: [apiServerKey, credentialsKey, securityKey, storeKey],
  async start({ get, config }) {
    const creds = get(credentialsKey);
    const security = get(securityKey);
    creds.admin.serving(get(apiServerKey).url, security.tls ? security.caCert : undefined);
    const file = path.join(config.dataDir, 'admin.yaml');
    const text = creds.admin.config();
    await writeFileAtomic(file, text, 0o600);
    // kubectl's config beside it, as k3s writes k3s.yaml: KUBECONFIG=DATA_DIR/kubeconfig.yaml kubectl get pods.
    await writeFileAtomic(path.join(config.dataDir, 'kubeconfig.yaml'), creds.admin.kubeconfig(), 0o600);
    if (config.defaultDataDir) await writeFileAtomic(userConfigPath(), text, 0o600);
    // HA (a shared etcd): one admin token for every server; a rotation anywhere reaches them all.
    const unshare = config.datastore?.etcd === undefined ? undefined : await shareAdminToken({ store: get(storeKey), admin: creds.admin, dataDir: config.dataDir, caPem: security.caCert, log: (m) => console.error(`lanternd: ${m}`) });
    return { value: file, ...(unshare ? { stop: unshare } : {}) };
  },
};
