/** The keys of what the daemon's components provide, in one place so declarations never import each other. */
import type http from 'node:http';
import type { ServerStore } from '../datastore.js';
import type { StoreCompactor } from '../../server/compactor.js';
import type { StoreHealth } from '../../server/store-health.js';
import type { ApiService } from '../../server/api-service.js';
import type { NodeRegistry } from '../../server/node-registry.js';
import type { SecretsEncryption } from '../../server/encryption/secrets-encryption.js';
import type { AuditLog } from '../../server/audit/audit-log.js';
import type { ServerMetrics } from '../server-metrics.js';
import type { LastResort } from '../last-resort.js';
import type { ServerSecurity } from '../security.js';
import type { ServerCredentials } from '../server-credentials.js';
import type { RegistryMirror } from '../registry-mirror.js';
import type { HttpClient } from '../../client/http-client.js';
import type { InformerFactory } from '../../client/kit/index.js';
import type { LocalNode } from './node.js';
import type { BuiltinRegistry } from './registry.js';
import type { ApiServer } from './api-server.js';
import type { LeaderElector } from '../../server/leader/elector.js';
import type { LeaderGate } from '../../server/leader/gate.js';
import type { EmbeddedEtcd } from '../embedded-etcd/embedded-etcd.js';
import type { RbacAuthorizer } from '../../server/rbac/authorizer.js';
import { key } from './component.js';

/** The store: SQLite in DATA_DIR/state.db (the data dir made first), or etcd with --datastore-endpoint. */
export const storeKey = key<ServerStore>('store');
/** Compacts the store's history every --compaction-interval. */
export const compactorKey = key<StoreCompactor>('compactor');
/** /healthz and /readyz write a probe key (cached 1 s): a full or read-only disk shows there. */
export const storeHealthKey = key<StoreHealth>('store-health');
/** The registry, the timed store the API uses, and the scheduler's hooks. */
export const metricsKey = key<ServerMetrics>('metrics');
/** The process-wide net under uncaught exceptions and rejections (last-resort.ts). */
export const lastResortKey = key<LastResort>('last-resort');
/** The plain-HTTP /metrics listener of --metrics-listen. */
export const metricsListenerKey = key<http.Server>('metrics-listener');
/** Secrets at rest (--secrets-encryption), handed to both the API service and the HTTP server. */
export const secretsEncryptionKey = key<SecretsEncryption>('secrets-encryption');
/** The API every in-process component uses as its ApiClient. */
export const apiKey = key<ApiService>('api');
/** The informers (one per resource) the in-process controllers share. */
export const informersKey = key<InformerFactory>('informers');
/** The built-in PriorityClasses, made once the API runs. */
export const priorityClassesKey = key<string[]>('system-priority-classes');
/** How the server reaches each node's services: the local agent's, or a remote node's tunnel. */
export const nodesKey = key<NodeRegistry>('nodes');
/** DATA_DIR/pki and DATA_DIR/node-token. */
export const securityKey = key<ServerSecurity>('security');
/** Admin, join and node tokens, node secrets, joins per minute. */
export const credentialsKey = key<ServerCredentials>('credentials');
/** This machine's node, in `lanternd server` (unless --no-agent) and in `lanternd agent`. */
export const nodeKey = key<LocalNode>('node');
/** The registry. */
export const registryKey = key<BuiltinRegistry>('registry');
/** Its periodic garbage collection (--registry-gc-interval; 0: off). */
export const registryGcKey = key<void>('registry-gc');
/** The copy of the server node's images in the registry, where remote agents pull them first. */
export const registryMirrorKey = key<RegistryMirror>('registry-mirror');
/** The audit log of --audit-log-path (flushed when the process exits). */
export const auditLogKey = key<AuditLog>('audit-log');
/** The HTTP server, listening. */
export const apiServerKey = key<ApiServer>('api-server');
/** DATA_DIR/admin.yaml (and ~/.lantern/config.yaml with the default data dir), written once the URL is known. */
export const adminConfigKey = key<string>('admin-config');
/** `lanternd agent`'s client of the server, with this node's own credential. */
export const joinKey = key<HttpClient>('join');
/** This server's leader election: the elector, what runs while it leads, and the API fenced by its lease. */
export interface ServerLeader { elector: LeaderElector; gate: LeaderGate; api: ApiService }
/** Leader election (components/leader.ts): the scheduler and controllers run only on the leader. */
export const leaderKey = key<ServerLeader>('leader-election');
/** The embedded etcd member (--cluster-init, --server): started before the store, which uses it. */
export const embeddedEtcdKey = key<EmbeddedEtcd>('embedded-etcd');
/** The RBAC authorizer (components/rbac.ts): decides every 'user' identity's requests. */
export const rbacKey = key<RbacAuthorizer>('rbac');
