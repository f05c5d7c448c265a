/** `lanternd sim` (simulated nodes, the fake runtime) against a running server, through the lanternd harness. */
import { LanterndProcess, type LanterndOptions } from './lanternd-process.js';

/**
 * Start `lanternd sim --server URL --token TOKEN ARGS...`: with the join token each node joins on its
 * own; with the admin token the process shares one client and one pod watch (thousands of nodes).
 */
export function startSim(url: string, token: string, args: readonly string[], opts: LanterndOptions = {}): LanterndProcess {
  return new LanterndProcess(['sim', '--server', url, '--token', token, ...args], opts);
}
