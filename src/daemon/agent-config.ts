import path from 'node:path';
import { FlagError, parseFlags } from './flags.js';
import { durationFlag } from './duration-flag.js';
import { insecureRegistries } from './insecure-registries.js';
import { nodeConfigFromFlags, type NodeConfig } from './node-config.js';
import { tokenFrom } from './token-source.js';
import { dnsFlags, dnsFlagsUsage } from './dns-flags.js';
import { deviceFlags, deviceFlagsUsage } from './device-flags.js';
import { mergeServerFlags } from './server-list-flag.js';

/** `lanternd agent --help`. */
export const agentUsage = `Usage: lanternd agent --server URL (--token-file FILE | --token TOKEN) [flags]

Joins this machine to a Lantern server as a node and runs the pods bound to it.

Flags:
  --server URL          the server's API address (https://HOST:6443); several servers of one cluster
                        as URL1,URL2,... (or --server repeated): the agent joins through the first that answers and moves
                        on to the next when its server dies (its tunnel re-forms there)
  --token-file FILE     read the join token from FILE (DATA_DIR/node-token on the server, or one from
                        "lcctl token create"); it pins the server's CA, and the node then uses a
                        credential of its own (DATA_DIR/node-credential) and proves its node secret
                        (DATA_DIR/node-secret, made at the first join) when it joins again
  --token TOKEN         the join token on the command line (visible in ps: prefer --token-file or
                        the environment variable LANTERN_TOKEN)
  --data-dir DIR        state directory (default /var/lib/lantern-agent)
  --node-name NAME      node name (default: the host name)
  --labels k=v,...      extra node labels
  --bridge NAME         Linux bridge for pods (default lantern0)
${dnsFlagsUsage}${deviceFlagsUsage}  --sysfs-root DIR      where SR-IOV physical functions are found (default /sys)
  --heartbeat-interval D  how often the node's heartbeat is renewed (default 10s)
  --metrics-listen HOST:PORT  also serve this node's /metrics (cAdvisor's container series, machine
                        totals, the agent process) on this plain-HTTP address, for a local Prometheus
  --no-server-registry  pull pod images only from their own registries, not first from the server's
                        built-in registry (which holds every image of the server's node)
  --insecure-registry HOST[:PORT],...  registries this node may reach over plain HTTP when HTTPS fails
                        (loopback ones always may)

Environment:
  LANTERN_TOKEN         the join token, when neither --token-file nor --token is given
`;

/** Everything `lanternd agent` was asked for: the components read this, never flags or process.env. */
export interface AgentConfig {
  /** The server's API address. */
  server: string;
  /** The join token (--token-file, --token or LANTERN_TOKEN). */
  token: string;
  node: NodeConfig;
  /** --metrics-listen HOST:PORT, or undefined. */
  metricsListen: string | undefined;
  /** Pull pod images from the server's built-in registry first (no --no-server-registry). */
  serverRegistry: boolean;
}

/** Parse `lanternd agent`'s flags (LANTERN_TOKEN and LANTERN_INSECURE_REGISTRIES from env); undefined for --help. */
export async function agentConfigFromArgs(args: string[], env: NodeJS.ProcessEnv): Promise<AgentConfig | undefined> {
  const flags = parseFlags(mergeServerFlags(args), {
    server: 'string', token: 'string', 'token-file': 'string', 'data-dir': 'string', 'node-name': 'string', labels: 'string',
    bridge: 'string', 'sysfs-root': 'string', help: 'boolean', 'heartbeat-interval': 'string', 'metrics-listen': 'string', 'no-server-registry': 'boolean', 'insecure-registry': 'string', ...dnsFlags, ...deviceFlags,
  });
  if (flags.help) return undefined;
  const token = await tokenFrom(flags, env);
  if (!flags.server || token === undefined) throw new FlagError('--server and a join token (--token-file FILE, LANTERN_TOKEN or --token) are required');
  const dataDir = path.resolve(String(flags['data-dir'] ?? '/var/lib/lantern-agent'));
  return {
    server: String(flags.server),
    token,
    node: nodeConfigFromFlags(flags, env, {
      dataDir,
      heartbeatMs: durationFlag(flags, 'heartbeat-interval', 10_000, true),
      insecureRegistries: insecureRegistries(flags['insecure-registry'], env),
    }),
    metricsListen: flags['metrics-listen'] ? String(flags['metrics-listen']) : undefined,
    serverRegistry: !flags['no-server-registry'],
  };
}
