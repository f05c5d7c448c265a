import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { ApiService } from '../server/api-service.js';
import { ManualClock } from '../api/manual-clock.js';
import { SimulatedNodes, type SimulatedNodesOptions } from './simulated-nodes.js';

/** Runs fn with SimulatedNodes over the in-process ApiService on a fresh SQLite store (tests only). */
export async function withSim(opts: Partial<SimulatedNodesOptions>, fn: (ctx: { api: ApiService; sim: SimulatedNodes; clock: ManualClock }) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'lantern-sim-'));
  const store = await openSqliteStore(join(dir, 'state.db'));
  const api = new ApiService(store);
  const clock = new ManualClock();
  const sim = new SimulatedNodes({
    api, clock, count: 3, namePrefix: 'sim-', heartbeatMs: 10_000, log: () => {},
    shape: { cpu: '4', memory: '8Gi', pods: 110, labels: { zone: 'a' }, version: 'test' }, ...opts,
  });
  try {
    await sim.start();
    await fn({ api, sim, clock });
  } finally {
    sim.stop();
    await sim.settled();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Poll fn until it returns a truthy value (the watch delivers events asynchronously). */
export async function eventually<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try { const v = await fn(); if (v) return v; } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
