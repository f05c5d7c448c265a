/** This machine's node: the real runtime, image store and network (node-components.ts) under an Agent. */
import { Agent, type AgentOptions } from '../../agent/agent.js';
import type { RegistryAccess } from '../../agent/registry-access.js';
import type { ApiClient } from '../../client/types.js';
import { serverNodeRegistries } from '../node-registries.js';
import { buildNodeComponents, type NodeComponents } from '../node-components.js';
import type { NodeConfig } from '../node-config.js';
import type { ServerConfig } from '../server-config.js';
import { VERSION } from '../version.js';
import { PolicyEnforcer } from '../../agent/network-policy/enforcer.js';
import { policyTableName } from '../../network/policy/nft.js';
import path from 'node:path';
import { UserNetworks } from '../../network/user/user-networks.js';
import { startNodeDevices } from '../node-devices.js';
import { pruneGonePods } from '../../agent/devices/prune.js';
import type { Component, Started } from './component.js';
import { withInProcessTokenRequests } from '../../server/identity/in-process-tokens.js';
import { apiKey, apiServerKey, credentialsKey, nodeKey, nodesKey, securityKey } from './keys.js';

/** A running node: its agent and the components it runs pods with. */
export interface LocalNode {
  agent: Agent;
  components: NodeComponents;
  registries: RegistryAccess;
}

/** What one command alone adds to its node. */
export interface NodeExtras {
  /** Agent options only this command sets. */
  options?: Partial<AgentOptions>;
  /** Runs after the agent is made and before it starts (the server registers its services). */
  beforeStart?(agent: Agent): void;
}

/** Build the node's components and start an Agent on them. */
export async function startNode(api: ApiClient, node: NodeConfig, registries: RegistryAccess, extras: NodeExtras = {}): Promise<Started<LocalNode>> {
  const components = await buildNodeComponents({ dataDir: node.dataDir, bridge: node.bridge, registries, cc: node.cc });
  const devices = await startNodeDevices(node, (m) => console.error(`lanternd: ${m}`));
  const agent = new Agent({
    api, ...components, nodeName: node.nodeName, dataDir: node.dataDir, labels: node.labels, version: node.version ?? VERSION,
    heartbeatSeconds: node.heartbeatMs / 1000, registries, trace: node.trace, dns: node.dns,
    userNetworks: new UserNetworks({ stateDir: path.join(node.dataDir, 'user-networks'), sysfsRoot: node.sysfsRoot, podBridge: node.bridge ?? 'lantern0' }),
    deviceSource: { source: devices, sysfsRoot: node.sysfsRoot }, devices: [devices], ...extras.options,
  });
  extras.beforeStart?.(agent);
  await agent.start();
  // Not awaited: a node started cut off from the server must not wait on this list (prune keeps assignments made after it).
  void pruneGonePods(api, node.nodeName, devices, (m) => console.error(`lanternd: ${m}`));
  // NetworkPolicy for this node's pods, in its own nftables table; started in the background so a slow list never holds the node back.
  const policies = new PolicyEnforcer({ api, nodeName: node.nodeName, table: policyTableName(node.dataDir), log: (m) => console.error(`lanternd: ${m}`) });
  const policiesStarted = policies.start().catch((e: unknown) => console.error(`lanternd: network policy: ${String(e)}`));
  return { value: { agent, components, registries }, stop: async () => { await policies.stop(); await policiesStarted; await agent.stop(); await devices.stop(); } };
}

/** The server's own node: the in-process API, the built-in registry by the server's own address. */
export const serverNode: Component<ServerConfig, LocalNode> = {
  key: nodeKey,
  requires: [apiKey, nodesKey, credentialsKey, securityKey, apiServerKey],
  enabled: (config) => config.node !== undefined,
  async start({ get, config }) {
    const node = config.node!;
    const security = get(securityKey);
    // The built-in registry by the server's own address: its scheme, the cluster CA, an in-memory node token.
    const registries = serverNodeRegistries({
      url: get(apiServerKey).url, listenHost: config.listen.host, ca: security.tls ? security.caCert : undefined,
      nodeName: node.nodeName, auth: get(credentialsKey).auth, insecure: node.insecureRegistries, tlsSans: config.tlsSans,
    });
    const backoffMs = node.restartBackoffMs;
    // Pods on this node get ServiceAccount tokens too: TokenRequest answered in process (no HTTP route in ApiService).
    const tokens = get(apiServerKey).identity?.serviceAccountTokens;
    const api = tokens ? withInProcessTokenRequests(get(apiKey), tokens, node.nodeName, security.tls ? security.caCert : undefined) : get(apiKey);
    return startNode(api, node, registries, {
      options: { backoff: { initialMs: backoffMs, maxMs: Math.max(backoffMs, 300_000), resetAfterMs: 600_000 } },
      beforeStart: (agent) => get(nodesKey).register(node.nodeName, agent.services),
    });
  },
};
