import type { ApiService } from '../server/api-service.js';
import { openTestApi } from '../testing/api.js';
import { ManualClock } from '../testing/clock.js';
import { SimulatedNodes, type SimulatedNodesOptions } from './simulated-nodes.js';

/** Runs fn with SimulatedNodes over the kit's in-process ApiService on a fresh SQLite store (tests only). */
export async function withSim(opts: Partial<SimulatedNodesOptions>, fn: (ctx: { api: ApiService; sim: SimulatedNodes; clock: ManualClock }) => Promise<void>): Promise<void> {
  const t = await openTestApi({ prefix: 'lantern-sim-' });
  const clock = new ManualClock();
  const sim = new SimulatedNodes({
    api: t.api, clock, count: 3, namePrefix: 'sim-', heartbeatMs: 10_000, log: () => {},
    shape: { cpu: '4', memory: '8Gi', pods: 110, labels: { zone: 'a' }, version: 'test' }, ...opts,
  });
  try {
    await sim.start();
    await fn({ api: t.api, sim, clock });
  } finally {
    sim.stop();
    await sim.settled();
    await t.close();
  }
}
