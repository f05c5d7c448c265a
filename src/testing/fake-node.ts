/**
 * The one fake node: the simulator's nodes and FAKE runtime (src/sim), for tests that need nodes
 * but no containers. Pods on it run for a time, exit with a code or fail to start, as they ask
 * (FakeAnnotations, or the FakeEnv vars; Nomad's mock driver is the model).
 */
import type { ApiClient } from '../client/types.js';
import { SimulatedNodes, type SimulatedNodesOptions } from '../sim/simulated-nodes.js';

export { FakeAnnotations, FakeEnv, fakeBehavior, type FakeBehavior } from '../sim/fake-behavior.js';
export type { SimulatedNodes as FakeNodes } from '../sim/simulated-nodes.js';

/** Everything but the client is optional: one node "fake-0" of 4 cpu and 8Gi, heartbeating every 10 s. */
export type FakeNodeOptions = Partial<SimulatedNodesOptions> & { api: ApiClient };

/** Register the fake node(s) through api, start their heartbeats and pod watch; stop() ends them. */
export async function startFakeNodes(opts: FakeNodeOptions): Promise<SimulatedNodes> {
  const nodes = new SimulatedNodes({
    count: 1, namePrefix: 'fake-', heartbeatMs: 10_000, log: () => {},
    shape: { cpu: '4', memory: '8Gi', pods: 110, labels: {}, version: 'test' }, ...opts,
  });
  await nodes.start();
  return nodes;
}
