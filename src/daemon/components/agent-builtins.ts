/** What `lanternd agent` is made of, in start order (see server-builtins.ts). */
import type { AgentConfig } from '../agent-config.js';
import type { Component } from './component.js';
import { agentLastResort, agentMetricsListener, join, remoteNode, tunnel } from './remote-node.js';
import { agentPodNetwork } from './pod-network.js';
import { agentServiceProxy } from './service-proxy.js';

/** `lanternd agent`: this machine as a node of a remote server. */
export const agentBuiltins: readonly Component<AgentConfig, unknown>[] = [
  agentLastResort, join, remoteNode, agentPodNetwork, tunnel, agentMetricsListener, agentServiceProxy,
];
