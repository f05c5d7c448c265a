import path from 'node:path';
import type { ServerLimits } from '../server/http/chain/limits.js';
import type { AuditOptions } from '../server/audit/audit-log.js';
import type { NodeRestriction } from '../server/node-restriction/index.js';
import { credentialFlags, credentialFlagsUsage, joinRateLimitFromFlags, type JoinRateLimit } from './server-credentials.js';
import { apiLimitFlags, apiLimitFlagsUsage, apiLimitsFromFlags, auditLogFromFlags } from './api-limits-flags.js';
import { nodeRestrictionFlags, nodeRestrictionFlagsUsage, nodeRestrictionFromFlags } from './node-restriction-flags.js';
import { parseFlags } from './flags.js';
import { durationFlag } from './duration-flag.js';
import { insecureRegistries } from './insecure-registries.js';
import { nodeConfigFromFlags, type NodeConfig } from './node-config.js';
import { networkConfigFromFlags, networkFlags, networkFlagsUsage, type NetworkConfig } from './network-flags.js';
import { dnsFlags, dnsFlagsUsage } from './dns-flags.js';
import { deviceFlags, deviceFlagsUsage } from './device-flags.js';
import { nodePortRangeFromFlags, serviceFlags, serviceFlagsUsage } from './service-flags.js';
import { podSecurityFlags, podSecurityFlagsUsage, podSecurityFromFlags } from './pod-security-flags.js';
import { scanFlags, scanFlagsUsage, scanFromFlags, type ScanOnPushConfig } from './scan-flags.js';
import type { PodSecurityDefaults } from '../server/admission/pod-security/policy.js';
import { datastoreFlags, datastoreFlagsUsage, datastoreFromFlags, type DatastoreConfig } from './datastore-flags.js';
import { dockerSocketFlags, dockerSocketFlagsUsage, dockerSocketFromFlags } from './docker-socket-flag.js';
import { embeddedDatastore, embeddedEtcdFlags, embeddedEtcdFlagsUsage, embeddedEtcdFromFlags, type EmbeddedEtcdConfig } from './embedded-etcd/flags.js';
import { versionFromEnv } from './version.js';

/** `lanternd server --help`. */
export const serverUsage = `Usage: lanternd server [flags]

Runs the control plane (API, SQLite store, scheduler) and, unless --no-agent, an agent for this machine.

Flags:
  --data-dir DIR        state directory (default /var/lib/lantern)
  --listen HOST:PORT    API address (default 127.0.0.1:6443)
  --no-agent            do not run pods on this machine
  --node-name NAME      this machine's node name (default: the host name)
  --labels k=v,...      extra labels for this machine's node
  --bridge NAME         Linux bridge for pods (default lantern0)
  --sysfs-root DIR      where SR-IOV physical functions are found (default /sys)
${networkFlagsUsage}${serviceFlagsUsage}${podSecurityFlagsUsage}${scanFlagsUsage}${dnsFlagsUsage}${deviceFlagsUsage}${dockerSocketFlagsUsage}  --restart-backoff MS  first delay between container restarts (default 10000)
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
${credentialFlagsUsage}${apiLimitFlagsUsage}${nodeRestrictionFlagsUsage}${datastoreFlagsUsage}${embeddedEtcdFlagsUsage}`;

/** Everything `lanternd server` was asked for: the components read this, never flags or process.env. */
export interface ServerConfig {
  dataDir: string;
  /** No --data-dir: the admin config is also written to ~/.lantern/config.yaml. */
  defaultDataDir: boolean;
  listen: { host: string; port: number };
  insecureHttp: boolean;
  tlsSans: string[];
  schedulerScoring: 'LeastAllocated' | 'MostAllocated';
  nodeMonitorGraceMs: number;
  podEvictionTimeoutMs: number;
  eventTtlMs: number;
  compactionMs: number;
  jobBackoffMs: number;
  jobBackoffMaxMs: number;
  hpaSyncMs: number;
  /** 0: the built-in registry's garbage collection is off. */
  registryGcMs: number;
  /** --scan-on-push (undefined: off). */
  scanOnPush?: ScanOnPushConfig | undefined;
  /** --metrics-listen HOST:PORT, or undefined. */
  metricsListen: string | undefined;
  secretsEncryption: boolean;
  joinRateLimit: JoinRateLimit;
  limits: Partial<ServerLimits>;
  /** --audit-log-path and its companions; undefined: no audit log. */
  audit: AuditOptions | undefined;
  nodeRestriction: NodeRestriction;
  /** The pod network: --cluster-cidr, --service-cidr, --node-cidr-mask-size, --network-backend. */
  network: NetworkConfig;
  /** --service-node-port-range: the ports NodePort Services are given. */
  nodePortRange?: { first: number; last: number };
  /** Pod Security admission's defaults (--pod-security-default). */
  podSecurity?: PodSecurityDefaults;
  /** --datastore-endpoint (etcd) and snapshots; absent: SQLite in DATA_DIR, default snapshot settings. */
  datastore?: DatastoreConfig;
  /** --docker-socket PATH: serve the Docker Engine API there (src/server/docker-api); undefined: off. */
  dockerSocket?: string;
  /** --cluster-init or --server URL --token T: run an embedded etcd member (src/daemon/embedded-etcd); the store uses it. */
  embeddedEtcd?: EmbeddedEtcdConfig;
  /** This machine's node; undefined with --no-agent. */
  node: (NodeConfig & { restartBackoffMs: number }) | undefined;
  /** The version the server reports and checks agents against (VERSION, or the test aid LANTERN_VERSION_OVERRIDE). */
  version?: string;
}

/** Parse `lanternd server`'s flags (and LANTERN_INSECURE_REGISTRIES from env); undefined for --help. */
export function serverConfigFromArgs(args: string[], env: NodeJS.ProcessEnv): ServerConfig | undefined {
  const flags = parseFlags(args, {
    'data-dir': 'string', listen: 'string', 'no-agent': 'boolean', 'node-name': 'string', labels: 'string',
    bridge: 'string', 'sysfs-root': 'string', 'restart-backoff': 'string', 'tls-san': 'string', 'insecure-http': 'boolean', 'scheduler-scoring': 'string', help: 'boolean',
    'heartbeat-interval': 'string', 'node-monitor-grace': 'string', 'pod-eviction-timeout': 'string',
    'event-ttl': 'string', 'compaction-interval': 'string', 'insecure-registry': 'string', 'metrics-listen': 'string',
    'job-backoff': 'string', 'job-backoff-max': 'string',
    'hpa-sync-period': 'string', 'registry-gc-interval': 'string', 'secrets-encryption': 'boolean',
    ...credentialFlags,
    ...apiLimitFlags,
    ...nodeRestrictionFlags,
    ...networkFlags,
    ...dnsFlags, ...deviceFlags, ...dockerSocketFlags,
    ...serviceFlags,
    ...podSecurityFlags,
    ...scanFlags,
    ...datastoreFlags,
    ...embeddedEtcdFlags,
  });
  if (flags.help) return undefined;
  const scoring = String(flags['scheduler-scoring'] ?? 'LeastAllocated');
  if (scoring !== 'LeastAllocated' && scoring !== 'MostAllocated') throw new Error(`--scheduler-scoring: unknown strategy "${scoring}": use LeastAllocated or MostAllocated`);
  const dataDir = path.resolve(String(flags['data-dir'] ?? '/var/lib/lantern'));
  const heartbeatMs = durationFlag(flags, 'heartbeat-interval', 10_000, true);
  const nodeMonitorGraceMs = durationFlag(flags, 'node-monitor-grace', 40_000, true);
  const podEvictionTimeoutMs = durationFlag(flags, 'pod-eviction-timeout', 300_000);
  const eventTtlMs = durationFlag(flags, 'event-ttl', 3_600_000, true);
  const compactionMs = durationFlag(flags, 'compaction-interval', 300_000, true);
  const insecure = insecureRegistries(flags['insecure-registry'], env);
  const jobBackoffMs = durationFlag(flags, 'job-backoff', 10_000);
  const jobBackoffMaxMs = Math.max(jobBackoffMs, durationFlag(flags, 'job-backoff-max', 360_000));
  const hpaSyncMs = durationFlag(flags, 'hpa-sync-period', 15_000, true);
  const registryGcMs = durationFlag(flags, 'registry-gc-interval', 3_600_000);
  const nodeRestriction = nodeRestrictionFromFlags(flags);
  const network = networkConfigFromFlags(flags);
  const [host = '127.0.0.1', portText = '6443'] = String(flags.listen ?? '127.0.0.1:6443').split(/:(?=[0-9]+$)/);
  const restartBackoffMs = Number(flags['restart-backoff'] ?? 10_000);
  const embeddedEtcd = embeddedEtcdFromFlags(flags, dataDir, host);
  // With the embedded etcd, --cluster-reset (with or without a restore path) is the member's (embeddedEtcd.reset).
  const datastore = datastoreFromFlags(embeddedEtcd ? { ...flags, 'cluster-reset': undefined, 'cluster-reset-restore-path': undefined } : flags, dataDir);
  return {
    dataDir, defaultDataDir: flags['data-dir'] === undefined,
    listen: { host, port: Number(portText) },
    insecureHttp: flags['insecure-http'] === true,
    tlsSans: String(flags['tls-san'] ?? '').split(','),
    schedulerScoring: scoring,
    nodeMonitorGraceMs, podEvictionTimeoutMs, eventTtlMs, compactionMs, jobBackoffMs, jobBackoffMaxMs, hpaSyncMs, registryGcMs,
    metricsListen: flags['metrics-listen'] ? String(flags['metrics-listen']) : undefined,
    secretsEncryption: flags['secrets-encryption'] === true,
    joinRateLimit: joinRateLimitFromFlags(flags),
    limits: apiLimitsFromFlags(flags),
    audit: auditLogFromFlags(flags),
    nodeRestriction,
    network,
    nodePortRange: nodePortRangeFromFlags(flags),
    podSecurity: podSecurityFromFlags(flags),
    scanOnPush: scanFromFlags(flags, dataDir),
    datastore: embeddedEtcd ? { ...datastore, etcd: embeddedDatastore(embeddedEtcd) } : datastore, embeddedEtcd,
    dockerSocket: dockerSocketFromFlags(flags),
    version: versionFromEnv(env),
    node: flags['no-agent'] ? undefined : {
      ...nodeConfigFromFlags(flags, env, { dataDir: path.join(dataDir, 'agent'), heartbeatMs, insecureRegistries: insecure }),
      restartBackoffMs,
    },
  };
}
