import os from 'node:os';
import { parseLabels } from './flags.js';
import { dnsConfigFromFlags, type NodeDnsConfig } from './dns-flags.js';
import { deviceConfigFromFlags, type NodeDeviceConfig } from './device-flags.js';
import { versionFromEnv } from './version.js';

/** A node's settings, as `lanternd server` (its own node) and `lanternd agent` both take them. */
export interface NodeConfig {
  nodeName: string;
  /** Where the node keeps containers, images, network state and pod dirs. */
  dataDir: string;
  labels: Record<string, string>;
  bridge: string | undefined;
  heartbeatMs: number;
  /** --insecure-registry plus LANTERN_INSECURE_REGISTRIES, read once by the entry point. */
  insecureRegistries: string[];
  /** $CC: the C compiler that builds the attach helper (default cc). */
  cc: string;
  /** $LANTERN_TRACE set: the agent logs the time of each step of a pod's start. */
  trace: boolean;
  /** The node's cluster DNS (--cluster-domain, --resolv-conf); undefined with --no-cluster-dns. */
  dns?: NodeDnsConfig;
  /** --sysfs-root: where SR-IOV PFs are found (default /sys; tests give a fake tree). */
  sysfsRoot?: string;
  /** --nvidia-driver-root, --cdi-spec-dirs, --device-discovery-interval (device-flags.ts). */
  devices?: NodeDeviceConfig;
  /** The version this node reports and joins with (VERSION, or the test aid LANTERN_VERSION_OVERRIDE). */
  version?: string;
}

/** --node-name, --labels and --bridge, $CC and $LANTERN_TRACE, with what the command has parsed already. */
export function nodeConfigFromFlags(flags: Record<string, string | boolean>, env: NodeJS.ProcessEnv, o: Pick<NodeConfig, 'dataDir' | 'heartbeatMs' | 'insecureRegistries'>): NodeConfig {
  return {
    nodeName: nodeNameFromFlags(flags),
    dataDir: o.dataDir,
    labels: parseLabels(flags.labels as string | undefined),
    bridge: flags.bridge as string | undefined,
    heartbeatMs: o.heartbeatMs,
    insecureRegistries: o.insecureRegistries,
    cc: env.CC || 'cc',
    trace: Boolean(env.LANTERN_TRACE),
    dns: dnsConfigFromFlags(flags),
    sysfsRoot: flags['sysfs-root'] as string | undefined,
    devices: deviceConfigFromFlags(flags),
    version: versionFromEnv(env),
  };
}

/** --node-name, or the host name; lower case, as node names are. */
export function nodeNameFromFlags(flags: Record<string, string | boolean>): string {
  return String(flags['node-name'] ?? os.hostname()).toLowerCase();
}
