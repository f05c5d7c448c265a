import { simConfigFromArgs, simUsage } from './sim-config.js';
import { simBuiltins } from './components/sim-builtins.js';
import { startSystem } from './components/system.js';
import { stopOnSignal } from './components/signals.js';
import { simNodesKey } from './components/sim-nodes.js';

/** `lanternd sim`: run simulated nodes against a server until signalled. */
export async function runSim(args: string[]): Promise<void> {
  const config = await simConfigFromArgs(args, process.env);
  if (config === undefined) { process.stdout.write(simUsage); return; }
  const system = await startSystem(simBuiltins, config);
  const names = system.get(simNodesKey).names;
  console.error(`lanternd sim: ${config.count} simulated nodes (${names[0] ?? ''}..${names[config.count - 1] ?? ''}) joined ${config.server}`);
  stopOnSignal(system);
  // The timers are unref'ed (they must not keep tests alive); this one keeps the process serving.
  setInterval(() => {}, 1 << 30);
}
