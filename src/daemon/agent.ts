import os from 'node:os';
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { HttpClient } from '../client/http-client.js';
import { ApiError } from '../api/errors.js';
import { joinServer } from './join.js';
import { Agent } from '../agent/agent.js';
import { TunnelClient } from '../agent/tunnel-client.js';
import { serverRegistrySource } from '../agent/server-registry.js';
import { buildNodeComponents } from './node-components.js';
import { FlagError, parseFlags, parseLabels } from './flags.js';
import { durationFlag } from './duration-flag.js';
import { insecureRegistries } from './insecure-registries.js';
import { VERSION } from './version.js';
import { agentMetrics } from './agent-metrics.js';
import { tokenFrom } from './token-source.js';
import { installLastResort } from './last-resort.js';

export const agentUsage = `Usage: lanternd agent --server URL (--token-file FILE | --token TOKEN) [flags]

Joins this machine to a Lantern server as a node and runs the pods bound to it.

Flags:
  --server URL          the server's API address (https://HOST:6443)
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
  --pod-subnet CIDR     pod addresses (default 10.88.0.0/16)
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

/** `lanternd agent`: run a node against a remote server. */
export async function runAgent(args: string[]): Promise<void> {
  const flags = parseFlags(args, {
    server: 'string', token: 'string', 'token-file': 'string', 'data-dir': 'string', 'node-name': 'string', labels: 'string',
    bridge: 'string', 'pod-subnet': 'string', help: 'boolean', 'heartbeat-interval': 'string', 'metrics-listen': 'string', 'no-server-registry': 'boolean', 'insecure-registry': 'string',
  });
  if (flags.help) { process.stdout.write(agentUsage); return; }
  const token = await tokenFrom(flags);
  if (!flags.server || token === undefined) throw new FlagError('--server and a join token (--token-file FILE, LANTERN_TOKEN or --token) are required');
  const dataDir = path.resolve(String(flags['data-dir'] ?? '/var/lib/lantern-agent'));
  const nodeName = String(flags['node-name'] ?? os.hostname()).toLowerCase();
  // A fault in one tunnel stream, pod or probe is logged as a BUG (and counted in its /metrics), not fatal.
  const lastResort = installLastResort('agent');
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  let api: HttpClient;
  try {
    api = new HttpClient(await joinServer({ server: String(flags.server), token, nodeName, dataDir }));
  } catch (e) {
    if (e instanceof ApiError) throw new ApiError(e.code, `joining ${String(flags.server)} failed: ${e.message}`);
    process.stderr.write(`lanternd agent: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
  // The server's registry is reached by its API address (CA pinned at join, node credential); the mirror only without --no-server-registry.
  const serverRegistry = serverRegistrySource(api.config, !flags['no-server-registry']);
  const registries = { insecure: insecureRegistries(flags['insecure-registry'], process.env), ...(serverRegistry ? { server: serverRegistry } : {}) };
  const components = await buildNodeComponents({ dataDir, bridge: flags.bridge as string | undefined, podSubnet: flags['pod-subnet'] as string | undefined, registries });
  const agent = new Agent({ api, ...components, nodeName, dataDir, labels: parseLabels(flags.labels as string | undefined), version: VERSION,
    heartbeatSeconds: durationFlag(flags, 'heartbeat-interval', 10_000, true) / 1000, registries });
  await agent.start();
  // Logs, exec and images reach this node through a connection it dials, so it needs no inbound port.
  const tunnel = new TunnelClient({ config: api.config, nodeName, services: agent.services });
  tunnel.start();
  const metricsServer = flags['metrics-listen'] ? await agentMetrics(String(flags['metrics-listen']), agent.services, lastResort.registry) : undefined;
  console.error(`lanternd agent: node ${nodeName} joined ${String(flags.server)}`);
  const shutdown = (): void => { metricsServer?.close(); tunnel.stop(); agent.stop(); process.exit(0); };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
