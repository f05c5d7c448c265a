/** `lanternd sim`: simulated nodes that register, heartbeat and report their pods through the API. */
import { randomBytes } from 'node:crypto';
import { ApiError } from '../../api/errors.js';
import type { HttpClient, ClientConfig } from '../../client/http-client.js';
import { clientFor } from '../../client/multi-server.js';
import type { ApiClient } from '../../client/types.js';
import { SimulatedNodes } from '../../sim/simulated-nodes.js';
import { parseJoinToken } from '../pki/join-token.js';
import { requestJoin } from '../join.js';
import type { SimConfig } from '../sim-config.js';
import { VERSION } from '../version.js';
import { key, type Component } from './component.js';

/** The simulated nodes, registered and heartbeating. */
export const simNodesKey = key<SimulatedNodes>('sim-nodes');

/** Registers the nodes (each with its own credential when the token is a join token). */
export const simNodes: Component<SimConfig, SimulatedNodes> = {
  key: simNodesKey,
  requires: [],
  async start({ config: c }) {
    const config = (t: string): ClientConfig => (c.ca === undefined ? { server: c.server, token: t } : { server: c.server, token: t, ca: c.ca });
    // --server URL1,URL2,...: one client over every server, moving on when one dies (client/multi-server.ts).
    const api = clientFor(config(c.token));
    const isJoinToken = (() => { try { parseJoinToken(c.token); return true; } catch { return false; } })();
    const nodeApi = isJoinToken ? (name: string) => joinNode(api, config, name) : undefined;
    const sim = new SimulatedNodes({
      api, nodeApi, count: c.count, concurrency: c.concurrency, heartbeatMs: c.heartbeatMs, runForMs: c.runForMs, namePrefix: c.namePrefix,
      shape: { cpu: c.cpu, memory: c.memory, pods: c.pods, labels: c.labels, version: VERSION, zones: c.zones, ...(c.gpus ? { gpus: c.gpus } : {}) },
    });
    try {
      await sim.start();
    } catch (e) {
      if (c.server.startsWith('https:') && c.ca === undefined && /certificate/i.test(String(e))) {
        throw new ApiError('Unavailable', `${String(e instanceof Error ? e.message : e)}: pass the server's CA with --ca-file (DATA_DIR/pki/ca.crt on the server)`);
      }
      throw e;
    }
    return { value: sim, stop: () => sim.stop() };
  },
};

/** Join one node with the join token (and a fresh node secret) and return a client that uses the node's own credential. */
async function joinNode(joiner: HttpClient, config: (t: string) => ClientConfig, name: string): Promise<ApiClient> {
  const credential = await requestJoin(joiner, { nodeName: name, nodeSecret: randomBytes(32).toString('hex') }, (m) => console.error(`lanternd sim: ${m}`));
  return clientFor(config(credential));
}
