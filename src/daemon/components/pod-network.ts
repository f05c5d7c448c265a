/**
 * The pod network's components: the server's node IPAM (a podCIDR for every Node) and, on every node
 * (the server's own and each `lanternd agent`), the agent side that waits for that range, makes the
 * CNI network on it and programs routes to the other nodes (agent/network/pod-network.ts).
 */
import path from 'node:path';
import { NodeIpamController } from '../../controllers/node-ipam/index.js';
import { NodePodNetwork } from '../../agent/network/pod-network.js';
import { primaryIPv4 } from '../../agent/node/node-object.js';
import { PendingNetwork } from '../../network/index.js';
import type { ApiClient } from '../../client/types.js';
import type { AgentConfig } from '../agent-config.js';
import type { ServerConfig } from '../server-config.js';
import { key, started, type Component, type Started } from './component.js';
import { apiKey, informersKey, joinKey, nodeKey } from './keys.js';
import type { LocalNode } from './node.js';

/** --cluster-cidr cut into --node-cidr-mask-size ranges, one per Node, with --network-backend recorded on each. */
export const nodeIpam: Component<ServerConfig, NodeIpamController> = {
  key: key<NodeIpamController>('node-ipam-controller'),
  requires: [apiKey, informersKey],
  start: ({ get, config }) => started(new NodeIpamController({
    api: get(apiKey), informers: get(informersKey), clusterCidr: config.network.clusterCidr,
    nodeCidrMaskSize: config.network.nodeCidrMaskSize, backend: config.network.backend,
  })),
};

function startPodNetwork(api: ApiClient, nodeName: string, node: LocalNode, rangeFile?: string): Started<NodePodNetwork> {
  const pending = node.components.network;
  if (!(pending instanceof PendingNetwork)) throw new Error('the node\'s network must wait for its pod range (node-components.ts makes a PendingNetwork)');
  const net = new NodePodNetwork({ api, nodeName, nodeIP: primaryIPv4(), pending, makeNetwork: node.components.makeNetwork, ...(rangeFile ? { rangeFile } : {}) });
  net.start();
  return { value: net, stop: () => net.stop() };
}

const podNetworkKey = key<NodePodNetwork>('pod-network');

/** The server's own node's pod network. */
export const serverPodNetwork: Component<ServerConfig, NodePodNetwork> = {
  key: podNetworkKey,
  requires: [apiKey, nodeKey],
  enabled: (config) => config.node !== undefined,
  start: ({ get, config }) => startPodNetwork(get(apiKey), config.node!.nodeName, get(nodeKey)),
};

/** A joined agent's pod network. */
export const agentPodNetwork: Component<AgentConfig, NodePodNetwork> = {
  key: podNetworkKey,
  requires: [joinKey, nodeKey],
  // The range is kept for a start cut off from the server (edge autonomy).
  start: ({ get, config }) => startPodNetwork(get(joinKey), config.node.nodeName, get(nodeKey), path.join(config.node.dataDir, 'offline', 'pod-range.json')),
};
