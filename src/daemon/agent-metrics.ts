import type http from 'node:http';
import type { NodeServices } from '../api/node-services.js';
import { Registry } from '../metrics/registry.js';
import { registerProcessMetrics } from '../metrics/process.js';
import { listenMetrics } from '../metrics/listen.js';

/** `lanternd agent --metrics-listen`: the node's cAdvisor metrics followed by the agent process's own (in `own`, with what is already there). */
export async function agentMetrics(address: string, services: NodeServices, own = new Registry()): Promise<http.Server> {
  registerProcessMetrics(own);
  return listenMetrics(address, async () => {
    const [node, proc] = await Promise.all([services.nodeMetrics?.() ?? '', own.expose()]);
    return node + proc;
  });
}
