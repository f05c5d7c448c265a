/** The service proxy (agent/service-proxy): ClusterIPs and NodePorts on this node, in nftables. */
import { ServiceProxy } from '../../agent/service-proxy/service-proxy.js';
import type { ApiClient } from '../../client/types.js';
import type { NodeConfig } from '../node-config.js';
import type { AgentConfig } from '../agent-config.js';
import type { ServerConfig } from '../server-config.js';
import { key, type Component, type Started } from './component.js';
import { apiKey, joinKey, nodeKey } from './keys.js';

const serviceProxyKey = key<ServiceProxy>('service-proxy');

// The rules stay when lanternd stops: its pods keep running, so their Services keep answering; the next start replaces the table.
async function startProxy(api: ApiClient, node: NodeConfig): Promise<Started<ServiceProxy>> {
  const proxy = new ServiceProxy({ api, bridge: node.bridge ?? 'lantern0' });
  await proxy.start();
  return { value: proxy, stop: () => proxy.stop() };
}

/** On the server's own node (unless --no-agent), through the in-process API. */
export const serverServiceProxy: Component<ServerConfig, ServiceProxy> = {
  key: serviceProxyKey,
  requires: [apiKey, nodeKey],
  enabled: (config) => config.node !== undefined,
  start: ({ get, config }) => startProxy(get(apiKey), config.node!),
};

/** On a `lanternd agent` node, with the node's own credential (nodes may list and watch Services and EndpointSlices). */
export const agentServiceProxy: Component<AgentConfig, ServiceProxy> = {
  key: serviceProxyKey,
  requires: [joinKey, nodeKey],
  start: ({ get, config }) => startProxy(get(joinKey), config.node),
};
