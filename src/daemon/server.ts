import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { ApiService } from '../server/api-service.js';
import { NodeRegistry } from '../server/node-registry.js';
import { createApiServer } from '../server/http/server.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { buildProfile } from '../scheduler/profile.js';
import { Agent } from '../agent/agent.js';
import { NodeLifecycleController } from '../controllers/node-lifecycle/index.js';
import { EventTtlController } from '../controllers/event-ttl/index.js';
import { ReplicaSetController } from '../controllers/replicaset/index.js';
import { DeploymentController } from '../controllers/deployment/index.js';
import { JobController } from '../controllers/job/index.js';
import { WorkflowController } from '../controllers/workflow/index.js';
import { podLogReader } from './workflow-logs.js';
import { HpaController } from '../controllers/hpa/index.js';
import { QueueController } from '../controllers/queue/index.js';
import { MetricsApi } from '../server/http/metrics-api.js';
import { podCpuFromMetricsApi } from './hpa-metrics.js';
import { ensureSystemPriorityClasses } from '../server/system-priority-classes.js';
import { openBuiltinRegistry } from '../registry/index.js';
import { scheduleRegistryGc } from './registry-gc.js';
import { RegistryMirror } from './registry-mirror.js';
import { buildNodeComponents } from './node-components.js';
import { userConfigPath, writeFileAtomic } from './credentials.js';
import { credentialFlags, credentialFlagsUsage, serverCredentials } from './server-credentials.js';
import { apiLimitFlags, apiLimitFlagsUsage, apiLimitsFromFlags, auditLogFromFlags } from './api-limits-flags.js';
import { nodeRestrictionFlags, nodeRestrictionFlagsUsage, nodeRestrictionFromFlags } from './node-restriction-flags.js';
import { serverSecurity } from './security.js';
import { parseFlags, parseLabels } from './flags.js';
import { durationFlag } from './duration-flag.js';
import { insecureRegistries } from './insecure-registries.js';
import { serverNodeRegistries } from './node-registries.js';
import { StoreCompactor } from '../server/compactor.js';
import { StoreHealth } from '../server/store-health.js';
import { VERSION } from './version.js';
import { serverMetrics } from './server-metrics.js';
import { listenMetrics } from '../metrics/listen.js';
import { installLastResort } from './last-resort.js';
import { encryptionConfigPath, SecretsEncryption } from '../server/encryption/secrets-encryption.js';

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
  --heartbeat-interval D        how often this machine's agent renews its node's heartbeat (default 10s)
  --node-monitor-grace D        a node without a heartbeat for this long turns Ready=Unknown (default 40s)
  --pod-eviction-timeout D      pods on a lost node that do not tolerate it longer are evicted after this (default 5m)
  --event-ttl D                 events are deleted this long after they last happened (default 1h)
  --job-backoff D               first delay before a Job makes a pod again after a failure; doubles per failure (default 10s)
  --job-backoff-max D           longest such delay (default 6m)
  --hpa-sync-period D           how often HorizontalPodAutoscalers look at their pods' CPU (default 15s)
  --insecure-registry HOST[:PORT],...  registries this machine may reach over plain HTTP when HTTPS fails (loopback always may)
  --compaction-interval D       how often the store's history is compacted; watchers can resume
                                from at most this far back (default 5m)
  --registry-gc-interval D      how often the built-in registry deletes blobs that no manifest references
                                and that are older than an hour; 0 turns it off (default 1h)
  --tls-san NAME,...    extra host names or IPs for the serving certificate
  --insecure-http       serve plain HTTP instead of HTTPS (anyone on the path can read the tokens)
  --scheduler-scoring S node scoring: LeastAllocated (spread, default) or MostAllocated (bin-pack)
  --metrics-listen HOST:PORT  also serve /metrics (server, scheduler, store, process) on this plain-HTTP
                        address without authentication (the API port serves it to the admin token)
  --secrets-encryption  encrypt Secrets at rest (AES-GCM) with the keys in DATA_DIR/cred/encryption-config.json
                        (made on first use); see lanternd secrets-encrypt
${credentialFlagsUsage}${apiLimitFlagsUsage}${nodeRestrictionFlagsUsage}`;

/** `lanternd server`: compose store, API, scheduler and the local agent; serve until signalled. */
export async function runServer(args: string[]): Promise<void> {
  const flags = parseFlags(args, {
    'data-dir': 'string', listen: 'string', 'no-agent': 'boolean', 'node-name': 'string', labels: 'string',
    bridge: 'string', 'pod-subnet': 'string', 'restart-backoff': 'string', 'tls-san': 'string', 'insecure-http': 'boolean', 'scheduler-scoring': 'string', help: 'boolean',
    'heartbeat-interval': 'string', 'node-monitor-grace': 'string', 'pod-eviction-timeout': 'string',
    'event-ttl': 'string', 'compaction-interval': 'string', 'insecure-registry': 'string', 'metrics-listen': 'string',
    'job-backoff': 'string', 'job-backoff-max': 'string',
    'hpa-sync-period': 'string', 'registry-gc-interval': 'string', 'secrets-encryption': 'boolean',
    ...credentialFlags,
    ...apiLimitFlags,
    ...nodeRestrictionFlags,
  });
  if (flags.help) { process.stdout.write(serverUsage); return; }
  const scoring = String(flags['scheduler-scoring'] ?? 'LeastAllocated');
  if (scoring !== 'LeastAllocated' && scoring !== 'MostAllocated') throw new Error(`--scheduler-scoring: unknown strategy "${scoring}": use LeastAllocated or MostAllocated`);
  const dataDir = path.resolve(String(flags['data-dir'] ?? '/var/lib/lantern'));
  const heartbeatMs = durationFlag(flags, 'heartbeat-interval', 10_000, true);
  const nodeMonitorGraceMs = durationFlag(flags, 'node-monitor-grace', 40_000, true);
  const podEvictionTimeoutMs = durationFlag(flags, 'pod-eviction-timeout', 300_000);
  const eventTtlMs = durationFlag(flags, 'event-ttl', 3_600_000, true);
  const compactionMs = durationFlag(flags, 'compaction-interval', 300_000, true);
  const insecure = insecureRegistries(flags['insecure-registry'], process.env);
  const jobBackoffMs = durationFlag(flags, 'job-backoff', 10_000);
  const jobBackoffMaxMs = Math.max(jobBackoffMs, durationFlag(flags, 'job-backoff-max', 360_000));
  const hpaSyncMs = durationFlag(flags, 'hpa-sync-period', 15_000, true);
  const registryGcMs = durationFlag(flags, 'registry-gc-interval', 3_600_000);
  const nodeRestriction = nodeRestrictionFromFlags(flags);
  const [host = '127.0.0.1', portText = '6443'] = String(flags.listen ?? '127.0.0.1:6443').split(/:(?=[0-9]+$)/);
  const port = Number(portText);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });

  const store = await openSqliteStore(path.join(dataDir, 'state.db'));
  const metrics = serverMetrics(store);
  // From here on, a fault in one request, stream, watch, controller or node is logged as a BUG, not fatal.
  installLastResort('server', metrics.registry);
  const secretsEncryption = await SecretsEncryption.open({ store: metrics.store, file: encryptionConfigPath(dataDir), enabled: flags['secrets-encryption'] === true });
  const encryptionWarning = await secretsEncryption.startupWarning();
  if (encryptionWarning !== undefined) console.error(`lanternd: WARNING: ${encryptionWarning}`);
  const api = new ApiService(metrics.store, { transformers: secretsEncryption.transformers() });
  const compactor = new StoreCompactor(store, compactionMs);
  compactor.start();
  await ensureSystemPriorityClasses(api);
  const nodes = new NodeRegistry();
  const security = await serverSecurity(dataDir, { insecureHttp: flags['insecure-http'] === true, tlsSans: String(flags['tls-san'] ?? '').split(',') });
  // Admin, join and node tokens, node secrets, joins per minute; the server's own node reserved.
  const creds = await serverCredentials({ store, dataDir, security, nodes, flags });
  const auth = creds.auth;
  if (!security.tls) console.error('lanternd: WARNING: --insecure-http: serving plain HTTP; tokens and credentials cross the network in clear text');

  let ready = false;
  // /healthz and /readyz write a probe key (cached 1 s): a full or read-only disk shows there.
  const storeHealth = new StoreHealth(store);
  const registry = await openBuiltinRegistry(path.join(dataDir, 'registry'));
  const stopRegistryGc = registryGcMs > 0 ? scheduleRegistryGc(registry.collectGarbage, registryGcMs, (m) => console.error(`lanternd: ${m}`)) : undefined;
  const audit = await auditLogFromFlags(flags, metrics.registry);
  const http = createApiServer({
    api: creds.guard(api), nodes, auth, version: VERSION, ready: () => ready, tls: security.tls, caCert: security.caCert,
    storeHealth: storeHealth.check.bind(storeHealth),
    ...creds.apiOptions,
    registry: registry.handler,
    metrics: metrics.registry,
    secretsEncryption,
    limits: apiLimitsFromFlags(flags), audit,
    nodeRestriction,
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, host, () => { http.off('error', reject); resolve(); });
  });
  const address = http.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const url = `${security.scheme}://${host === '0.0.0.0' ? '127.0.0.1' : host}:${boundPort}`;
  creds.admin.serving(url, security.tls ? security.caCert : undefined);
  const config = creds.admin.config();
  await writeFileAtomic(path.join(dataDir, 'admin.yaml'), config, 0o600);
  if (!flags['data-dir']) await writeFileAtomic(userConfigPath(), config, 0o600);

  const scheduler = new Scheduler(api, buildProfile({ scoringStrategy: scoring }), metrics.schedulerHooks);
  metrics.watchScheduler(scheduler);
  const metricsServer = flags['metrics-listen'] ? await listenMetrics(String(flags['metrics-listen']), () => metrics.registry.expose()) : undefined;
  await scheduler.start();
  const lifecycle = new NodeLifecycleController({ api, nodeMonitorGraceMs, podEvictionTimeoutMs });
  lifecycle.start();
  const jobs = new JobController({ api, backoffMs: jobBackoffMs, backoffMaxMs: jobBackoffMaxMs });
  await jobs.start();
  const workflows = new WorkflowController({ api, readLog: podLogReader(api, nodes), hostRoot: path.join(dataDir, 'workflows') });
  await workflows.start();
  const replicaSets = new ReplicaSetController({ api });
  replicaSets.start();
  const deployments = new DeploymentController({ api });
  deployments.start();
  // The autoscaler reads pod CPU as `lcctl top pods` does, through its own MetricsApi (its own scrape pairs).
  const hpa = new HpaController({ api, metrics: podCpuFromMetricsApi(new MetricsApi(nodes)), syncPeriodMs: hpaSyncMs });
  hpa.start();
  const queues = new QueueController({ api });
  queues.start();
  const eventTtl = new EventTtlController({ api, ttlMs: eventTtlMs });
  await eventTtl.start();
  let agent: Agent | undefined;
  let mirror: RegistryMirror | undefined;
  if (!flags['no-agent']) {
    const nodeName = String(flags['node-name'] ?? os.hostname()).toLowerCase();
    // The built-in registry by the server's own address: its scheme, the cluster CA, an in-memory node token.
    const registries = serverNodeRegistries({ url, listenHost: host, ca: security.tls ? security.caCert : undefined, nodeName, auth, insecure, tlsSans: String(flags['tls-san'] ?? '').split(',') });
    const components = await buildNodeComponents({ dataDir: path.join(dataDir, 'agent'), bridge: flags.bridge as string | undefined, podSubnet: flags['pod-subnet'] as string | undefined, registries });
    const backoffMs = Number(flags['restart-backoff'] ?? 10_000);
    agent = new Agent({
      api, ...components, nodeName, dataDir: path.join(dataDir, 'agent'), labels: parseLabels(flags.labels as string | undefined), version: VERSION,
      heartbeatSeconds: heartbeatMs / 1000, registries,
      backoff: { initialMs: backoffMs, maxMs: Math.max(backoffMs, 300_000), resetAfterMs: 600_000 },
    });
    nodes.register(nodeName, agent.services);
    await agent.start();
    // Images of this node also go into the built-in registry, where remote agents pull them first.
    mirror = new RegistryMirror(components.images, registry.local);
    void mirror.start();
  }
  ready = true;
  console.error(`lanternd: serving the API on ${url} (data in ${dataDir}; admin config ${path.join(dataDir, 'admin.yaml')})`);

  const shutdown = (signal: string): void => {
    console.error(`lanternd: ${signal}: shutting down (containers keep running)`);
    ready = false;
    agent?.stop();
    mirror?.stop();
    scheduler.stop();
    lifecycle.stop();
    jobs.stop();
    workflows.stop();
    replicaSets.stop();
    deployments.stop();
    hpa.stop();
    queues.stop();
    eventTtl.stop();
    compactor.stop();
    stopRegistryGc?.();
    metricsServer?.close();
    http.close();
    http.closeAllConnections();
    void store.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
