/**
 * What `lanternd server` is made of, in start order (startOrder keeps this order wherever the
 * requirements allow). Adding a part: declare it in its own file, then list it here. The agent's and
 * the simulator's lists are files of their own so the server loads none of their modules.
 */
import type { ServerConfig } from '../server-config.js';
import type { Component } from './component.js';
import { compactor, store, storeHealth } from './store.js';
import { metrics, serverLastResort, serverMetricsListener } from './metrics.js';
import { api, nodes, priorityClasses, secretsEncryption } from './api.js';
import { credentials, security } from './credentials.js';
import { registry, registryGc, registryMirror } from './registry.js';
import { scanOnPush } from './scan-on-push.js';
import { adminConfig, apiServer, auditLog } from './api-server.js';
import { scheduler } from './scheduler.js';
import { informers } from './informers.js';
import { controllers } from './controllers.js';
import { kubernetesService } from './kubernetes-service.js';
import { serverNode } from './node.js';
import { nodeIpam, serverPodNetwork } from './pod-network.js';
import { serverServiceProxy } from './service-proxy.js';
import { snapshots } from './snapshots.js';
import { dockerApi } from './docker-api.js';
import { leaderElection, leaderOnly } from './leader.js';
import { peerServers } from './peer-servers.js';
import { rbac } from './rbac.js';
import { embeddedEtcd } from '../embedded-etcd/component.js';

/** `lanternd server`: the control plane and (unless --no-agent) this machine's node. */
export const serverBuiltins: readonly Component<ServerConfig, unknown>[] = [
  embeddedEtcd, store, metrics, serverLastResort, secretsEncryption, api, compactor, priorityClasses, nodes, security, credentials,
  storeHealth, registry, registryGc, scanOnPush, auditLog, apiServer, peerServers, kubernetesService, adminConfig,
  informers, rbac, leaderElection, leaderOnly(scheduler), serverMetricsListener, ...controllers.map(leaderOnly), leaderOnly(nodeIpam),
  serverNode, serverPodNetwork, serverServiceProxy, registryMirror, dockerApi, snapshots,
];
