import { readFile } from 'node:fs/promises';
import { parseDuration } from '../api/duration.js';
import { parseBytes, parseCpuMillis } from '../api/quantity.js';
import { FlagError, parseFlags, parseLabels } from './flags.js';
import { tokenFrom } from './token-source.js';
import { mergeServerFlags } from './server-list-flag.js';

/** `lanternd sim --help`. */
export const simUsage = `Usage: lanternd sim --server URL (--token-file FILE | --token TOKEN) --nodes N [flags]

Hosts N simulated nodes in this process, for scale tests and benchmarks: each registers a Node and
heartbeats through the API; a fake runtime reports their pods Running (nothing runs). The nodes carry
the label lantern.dev/simulated=true.

Flags:
  --server URL                the server's API address (several as URL1,URL2,...: moves on when one dies)
  --token-file FILE           read the token from FILE: the node join token (DATA_DIR/node-token:
                              each node joins with a node secret of its own, kept in memory, gets
                              its own credential, and watches only its pods; joins are limited per
                              minute by the server) or the admin token (one pod watch for all
                              nodes: use it for thousands of nodes)
  --token TOKEN               the same token on the command line (visible in ps: prefer --token-file
                              or the environment variable LANTERN_TOKEN)
  --ca-file FILE              CA bundle to trust when the server is https (DATA_DIR/pki/ca.crt
                              on the server)
  --nodes N                   how many nodes
  --cpu Q                     CPU capacity of each node (default 4)
  --memory Q                  memory capacity of each node (default 8Gi)
  --pods N                    pod capacity of each node (default 110)
  --labels k=v,...            extra labels for every node
  --zones N                   spread the nodes over N zones: node i gets
                              topology.kubernetes.io/zone=zone-(i mod N)
  --gpus N                    FAKE GPUs per node: nvidia.com/gpu N in capacity and the
                              nvidia.com/gpu.* labels (product FAKE-Simulated-GPU, gpu.type=fake)
  --name-prefix P             node names are P0, P1, ... (default sim-node-)
  --run-for DURATION          report pods Succeeded this long after they start (30s, 5m, 1h); default never
  --heartbeat-interval DUR    how often each node renews its heartbeat (default 10s)
  --concurrency N             API writes in flight at once (default 32)

Environment:
  LANTERN_TOKEN               the token, when neither --token-file nor --token is given

Simulated nodes keep their node secrets in memory: a sim started again with the join token cannot
join names an earlier sim joined until an admin deletes those nodes (lcctl delete node NAME).
`;

/** Everything `lanternd sim` was asked for. */
export interface SimConfig {
  /** The server's API address, without a trailing slash. */
  server: string;
  /** A node join token (each node joins on its own) or the admin token. */
  token: string;
  /** The CA bundle of --ca-file, for an https server. */
  ca: string | undefined;
  count: number;
  pods: number;
  concurrency: number;
  cpu: string;
  memory: string;
  heartbeatMs: number;
  runForMs: number | undefined;
  namePrefix: string;
  labels: Record<string, string>;
  zones: number | undefined;
  /** --gpus: fake GPUs per node. */
  gpus?: number;
}

/** Parse `lanternd sim`'s flags (LANTERN_TOKEN from env); undefined for --help. */
export async function simConfigFromArgs(args: string[], env: NodeJS.ProcessEnv): Promise<SimConfig | undefined> {
  const flags = parseFlags(mergeServerFlags(args), {
    server: 'string', token: 'string', 'token-file': 'string', 'ca-file': 'string', nodes: 'string', cpu: 'string', memory: 'string', pods: 'string',
    labels: 'string', zones: 'string', gpus: 'string', 'name-prefix': 'string', 'run-for': 'string', 'heartbeat-interval': 'string', concurrency: 'string', help: 'boolean',
  });
  if (flags.help) return undefined;
  const str = (name: string): string | undefined => (typeof flags[name] === 'string' ? flags[name] : undefined);
  const server = str('server')?.replace(/\/+$/, '');
  const token = await tokenFrom(flags, env);
  const nodes = str('nodes');
  if (!server || !token || !nodes) throw new FlagError(`--server, a token (--token-file FILE, LANTERN_TOKEN or --token) and --nodes are required\n\n${simUsage}`);
  const count = positiveInt('nodes', nodes);
  const pods = positiveInt('pods', str('pods') ?? '110');
  const concurrency = positiveInt('concurrency', str('concurrency') ?? '32');
  const cpu = str('cpu') ?? '4';
  if (parseCpuMillis(cpu) === undefined) throw new FlagError(`--cpu: ${JSON.stringify(cpu)} is not a CPU quantity (examples: 4, 500m)`);
  const memory = str('memory') ?? '8Gi';
  if (parseBytes(memory) === undefined) throw new FlagError(`--memory: ${JSON.stringify(memory)} is not a memory quantity (examples: 8Gi, 512Mi)`);
  const heartbeatMs = duration('heartbeat-interval', str('heartbeat-interval') ?? '10s');
  const runFor = str('run-for');
  const runForMs = runFor === undefined ? undefined : duration('run-for', runFor);
  const caFile = str('ca-file');
  const ca = caFile ? await readFile(caFile, 'utf8') : undefined;
  if (ca !== undefined && !server.startsWith('https:')) throw new FlagError('--ca-file applies only to an https --server');
  const zones = str('zones');
  return {
    server, token, ca, count, pods, concurrency, cpu, memory, heartbeatMs, runForMs,
    namePrefix: str('name-prefix') ?? 'sim-node-',
    labels: parseLabels(str('labels')),
    zones: zones === undefined ? undefined : positiveInt('zones', zones),
    ...(str('gpus') !== undefined ? { gpus: positiveInt('gpus', str('gpus')!) } : {}),
  };
}

function positiveInt(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new FlagError(`--${flag}: ${JSON.stringify(text)} is not a positive whole number`);
  return n;
}

function duration(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) throw new FlagError(`--${flag}: ${JSON.stringify(text)} is not a duration (examples: 500ms, 30s, 5m, 1h)`);
  return ms;
}
