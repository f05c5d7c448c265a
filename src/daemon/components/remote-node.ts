/** `lanternd agent`: this machine joined to a remote server as a node, reached through a tunnel it dials. */
import type http from 'node:http';
import { mkdir } from 'node:fs/promises';
import type { HttpClient } from '../../client/http-client.js';
import { ApiError } from '../../api/errors.js';
import { TunnelClient } from '../../agent/node/tunnel-client.js';
import { serverRegistrySource } from '../../agent/server-registry.js';
import { agentClient, joinServers } from '../join-servers.js';
import { MultiServerClient, followServers, serverList } from '../../client/multi-server.js';
import { joinedOffline, markJoinedOffline, storedJoin } from '../offline-join.js';
import { agentMetrics } from '../agent-metrics.js';
import { installLastResort, type LastResort } from '../last-resort.js';
import { FatalError } from '../fatal.js';
import type { AgentConfig } from '../agent-config.js';
import { key, type Component } from './component.js';
import { startNode, type LocalNode } from './node.js';
import { joinKey, lastResortKey, metricsListenerKey, nodeKey } from './keys.js';

/** A fault in one tunnel stream, pod or probe is logged as a BUG (and counted in its /metrics), not fatal. */
export const agentLastResort: Component<AgentConfig, LastResort> = {
  key: lastResortKey,
  requires: [],
  start: () => ({ value: installLastResort('agent') }),
};

/** Joins the server (CA pinned by the token; the node credential and secret kept in the data dir). */
export const join: Component<AgentConfig, HttpClient> = {
  key: joinKey,
  requires: [lastResortKey],
  async start({ config }) {
    const { server, token, node } = config;
    await mkdir(node.dataDir, { recursive: true, mode: 0o700 });
    try {
      // --server URL1,URL2,...: join through the first that answers, then fail over between them (join-servers.ts).
      return { value: agentClient(await joinServers({ server, token, nodeName: node.nodeName, dataDir: node.dataDir, version: node.version })) };
    } catch (e) {
      const offline = await storedJoin(e, serverList(server)[0] ?? server, node.dataDir, (m) => console.error(`lanternd agent: ${m}`));
      if (offline) return { value: markJoinedOffline(agentClient({ ...offline, server })) };
      if (e instanceof ApiError) throw new ApiError(e.code, `joining ${server} failed: ${e.message}`);
      throw new FatalError(`lanternd agent: ${e instanceof Error ? e.message : String(e)}`);
    }
  },
};

/** The node; the server's registry is reached by its API address (CA pinned at join, node credential), first unless --no-server-registry. */
export const remoteNode: Component<AgentConfig, LocalNode> = {
  key: nodeKey,
  requires: [joinKey],
  start({ get, config }) {
    const api = get(joinKey);
    const serverRegistry = serverRegistrySource(api.config, config.serverRegistry, api instanceof MultiServerClient ? api : undefined);
    return startNode(api, config.node, { insecure: config.node.insecureRegistries, ...(serverRegistry ? { server: serverRegistry } : {}) }, { options: { offlineRecord: true, startOffline: joinedOffline(api) } });
  },
};

/** Logs, exec and images reach this node through a connection it dials, so it needs no inbound port. */
export const tunnel: Component<AgentConfig, TunnelClient> = {
  key: key<TunnelClient>('tunnel'),
  requires: [joinKey, nodeKey],
  start({ get, config }) {
    const api = get(joinKey);
    // With several servers the tunnel dials the client's current one, and a failed dial moves the client on.
    const t = new TunnelClient({ config: api.config, nodeName: config.node.nodeName, services: get(nodeKey).agent.services, agentVersion: config.node.version, ...followServers(api) });
    t.start();
    return { value: t, stop: () => t.stop() };
  },
};

/** --metrics-listen: the node's cAdvisor series and the agent process's own, without a token. */
export const agentMetricsListener: Component<AgentConfig, http.Server> = {
  key: metricsListenerKey,
  requires: [nodeKey, lastResortKey],
  enabled: (config) => config.metricsListen !== undefined,
  async start({ get, config }) {
    const server = await agentMetrics(config.metricsListen!, get(nodeKey).agent.services, get(lastResortKey).registry);
    return { value: server, stop: () => { server.close(); } };
  },
};
