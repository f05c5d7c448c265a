import { serverConfigFromArgs, serverUsage } from './server-config.js';
import { serverBuiltins } from './components/server-builtins.js';
import { startSystem } from './components/system.js';
import { stopOnSignal } from './components/signals.js';
import { adminConfigKey, apiServerKey } from './components/keys.js';

/** `lanternd server`: start the server's components (components/server-builtins.ts) from its flags; serve until signalled. */
export async function runServer(args: string[]): Promise<void> {
  // The entry point alone reads the environment (LANTERN_INSECURE_REGISTRIES); components get the config.
  const config = serverConfigFromArgs(args, process.env);
  if (config === undefined) { process.stdout.write(serverUsage); return; }
  const system = await startSystem(serverBuiltins, config);
  console.error(`lanternd: serving the API on ${system.get(apiServerKey).url} (data in ${config.dataDir}; admin config ${system.get(adminConfigKey)})`);
  stopOnSignal(system, (signal) => console.error(`lanternd: ${signal}: shutting down (containers keep running)`));
}
