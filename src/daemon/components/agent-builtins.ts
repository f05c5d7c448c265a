/** What `lanternd agent` is made of, in start order (see server-builtins.ts). */
import type { AgentConfig } from '../agent-config.js';
import type { Component } from './component.js';
import { agentLastResort, agentMetricsListener, join, remoteNode, tunnel } from './remote-node.js';

/** `lanternd agent`: this machine as a node of a remote server. */
export const agentBuiltins: readonly Component<AgentConfig, unknown>[] = [
  agentLastResort, join, remoteNode, tunnel, agentMetricsListener,
];
