import { agentConfigFromArgs, agentUsage } from './agent-config.js';
import { agentBuiltins } from './components/agent-builtins.js';
import { startSystem } from './components/system.js';
import { stopOnSignal } from './components/signals.js';

/** `lanternd agent`: run a node against a remote server (components/agent-builtins.ts) until signalled. */
export async function runAgent(args: string[]): Promise<void> {
  // The entry point alone reads the environment (LANTERN_TOKEN, LANTERN_INSECURE_REGISTRIES); components get the config.
  const config = await agentConfigFromArgs(args, process.env);
  if (config === undefined) { process.stdout.write(agentUsage); return; }
  const system = await startSystem(agentBuiltins, config);
  console.error(`lanternd agent: node ${config.node.nodeName} joined ${config.server}`);
  stopOnSignal(system);
}
