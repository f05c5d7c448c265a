import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { ApiService } from '../server/api-service.js';
import { NodeRegistry } from '../server/node-registry.js';
import { TokenAuthenticator } from '../server/http/auth.js';
import { createApiServer } from '../server/http/server.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { Agent } from '../agent/agent.js';
import { buildNodeComponents } from './node-components.js';
import { clientConfig, loadOrCreateToken, userConfigPath, writeFileAtomic } from './credentials.js';
import { parseFlags, parseLabels } from './flags.js';
import { VERSION } from './version.js';

export const serverUsage = `Usage: lanternd server [flags]

Runs the control plane (API, SQLite store, scheduler) and, unless --no-agent, an agent for this machine.

Flags:
  --data-dir DIR        state directory (default /var/lib/lantern)
  --listen HOST:PORT    API address (default 127.0.0.1:6443)
  --no-agent            do not run pods on this machine
  --node-name NAME      this machine's node name (default: the host name)
  --labels k=v,...      extra labels for this machine's node
  --bridge NAME         Linux bridge for pods (default lantern0)
  --pod-subnet CIDR     pod addresses (default 10.88.0.0/16)
  --restart-backoff MS  first delay between container restarts (default 10000)
`;

/** `lanternd server`: compose store, API, scheduler and the local agent; serve until signalled. */
export async function runServer(args: string[]): Promise<void> {
  const flags = parseFlags(args, {
    'data-dir': 'string', listen: 'string', 'no-agent': 'boolean', 'node-name': 'string', labels: 'string',
    bridge: 'string', 'pod-subnet': 'string', 'restart-backoff': 'string', help: 'boolean',
  });
  if (flags.help) { process.stdout.write(serverUsage); return; }
  const dataDir = path.resolve(String(flags['data-dir'] ?? '/var/lib/lantern'));
  const [host = '127.0.0.1', portText = '6443'] = String(flags.listen ?? '127.0.0.1:6443').split(/:(?=[0-9]+$)/);
  const port = Number(portText);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });

  const store = await openSqliteStore(path.join(dataDir, 'state.db'));
  const api = new ApiService(store);
  const nodes = new NodeRegistry();
  const auth = new TokenAuthenticator();
  const adminToken = await loadOrCreateToken(path.join(dataDir, 'admin-token'), 'lt-admin-');
  const nodeToken = await loadOrCreateToken(path.join(dataDir, 'node-token'), 'lt-node-');
  auth.add(adminToken, { name: 'admin', role: 'admin' });
  auth.add(nodeToken, { name: 'node', role: 'node' });

  let ready = false;
  const http = createApiServer({ api, nodes, auth, version: VERSION, ready: () => ready });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, host, () => { http.off('error', reject); resolve(); });
  });
  const address = http.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${boundPort}`;
  const config = clientConfig(url, adminToken);
  await writeFileAtomic(path.join(dataDir, 'admin.yaml'), config, 0o600);
  if (!flags['data-dir']) await writeFileAtomic(userConfigPath(), config, 0o600);

  const scheduler = new Scheduler(api);
  await scheduler.start();
  let agent: Agent | undefined;
  if (!flags['no-agent']) {
    const nodeName = String(flags['node-name'] ?? os.hostname()).toLowerCase();
    const components = await buildNodeComponents({ dataDir: path.join(dataDir, 'agent'), bridge: flags.bridge as string | undefined, podSubnet: flags['pod-subnet'] as string | undefined });
    const backoffMs = Number(flags['restart-backoff'] ?? 10_000);
    agent = new Agent({
      api, ...components, nodeName, dataDir: path.join(dataDir, 'agent'), labels: parseLabels(flags.labels as string | undefined), version: VERSION,
      backoff: { initialMs: backoffMs, maxMs: Math.max(backoffMs, 300_000), resetAfterMs: 600_000 },
    });
    nodes.register(nodeName, agent.services);
    await agent.start();
  }
  ready = true;
  console.error(`lanternd: serving the API on ${url} (data in ${dataDir}; admin config ${path.join(dataDir, 'admin.yaml')})`);

  const shutdown = (signal: string): void => {
    console.error(`lanternd: ${signal}: shutting down (containers keep running)`);
    ready = false;
    agent?.stop();
    scheduler.stop();
    http.close();
    http.closeAllConnections();
    void store.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
