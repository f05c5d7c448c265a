import type { ApiClient } from '../client/types.js';
import type { TimerClock } from '../api/clock.js';
import type { ContainerRuntime } from '../runtime/types.js';
import type { ImageStore } from '../image/types.js';
import type { NetworkPlugin } from '../network/types.js';
import type { NodeDns } from './dns/node-dns.js';
import type { UserNetworks } from '../network/user/user-networks.js';
import type { BackoffConfig } from './restart-policy.js';
import type { RegistryAccess } from './registry-access.js';
import type { VolumeMounter } from './volumes/types.js';
import type { ClaimReader } from './volumes/claim-cache.js';
import type { NodeRecord } from './offline/record.js';

/** Where a node keeps pod-local and named volumes. */
export interface VolumePaths {
  /** emptyDir volumes live under podDir/volumes/NAME and go away with the pod. */
  podDir(uid: string): string;
  /** Named volumes (docker -v NAME:/path) outlive pods, as Docker's. */
  namedVolume(name: string): string;
}

/** What every part of the agent shares: the API, the node's real components and its settings. */
export interface AgentContext {
  api: ApiClient;
  runtime: ContainerRuntime;
  images: ImageStore;
  network: NetworkPlugin;
  /** User-defined networks (lcctl network); absent: pods naming one wait with a clear reason. */
  userNetworks?: UserNetworks;
  nodeName: string;
  hostIP: string;
  backoff: BackoffConfig;
  volumes: VolumePaths;
  log: (msg: string) => void;
  /** How registries are reached: insecure ones, the server's built-in registry (registry-access.ts). */
  registries: RegistryAccess;
  /** The clock probes run on (absent: the system clock). */
  clock?: TimerClock;
  /** Log how long each step of a pod's start took (lanternd sets it from $LANTERN_TRACE). */
  trace?: boolean;
  /** The node's cluster DNS (agent/dns); absent: pods get the node's resolvers. */
  dns?: NodeDns;
  /** The node's GPU series in dcgm-exporter's names (agent/devices/dcgm-metrics.ts), appended to its /metrics. */
  deviceMetrics?: () => Promise<string>;
  /** Volume mounters beyond the built-in ones (the node's CSI mounter, agent/csi). */
  volumeMounters?: readonly VolumeMounter[];
  /** The node's watched claims and volumes (volumes/claim-cache.ts); absent: the volumes hook reads the API. */
  claims?: ClaimReader;
  /** The node's on-disk record of its pods, ConfigMaps and Secrets (agent/offline: edge autonomy); absent: none kept. */
  offline?: NodeRecord;
}
