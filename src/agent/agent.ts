import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { ApiClient } from '../client/types.js';
import type { ContainerRuntime } from '../runtime/types.js';
import type { ImageStore } from '../image/types.js';
import type { NetworkPlugin } from '../network/types.js';
import type { NodeServices } from '../api/node-services.js';
import type { AgentContext } from './context.js';
import type { ImageBuilder } from '../builder/builder.js';
import { plainAccess, type RegistryAccess } from './registry-access.js';
import { PodManager } from './pods/pod-manager.js';
import { LocalNodeServices } from './node/node-services.js';
import { primaryIPv4 } from './node/node-object.js';
import { heartbeat, registerNode } from './node/registration.js';
import type { DevicePlugin } from './pods/hooks/devices.js';
import type { UserNetworks } from '../network/user/user-networks.js';
import { startSriovAdvertiser } from './node/sriov-capacity.js';
import { DeviceAdvertiser, type DeviceSource } from './devices/advertise.js';
import { dcgmMetricsText } from './devices/dcgm-metrics.js';
import { EventRecorder } from '../client/kit/events.js';
import { defaultBackoff, type BackoffConfig } from './restart-policy.js';
import { NodeDns, type NodeDnsOptions } from './dns/node-dns.js';
import { publishLocalPathRoot } from './volumes/local-path-root.js';
import { LocalPathReclaimer } from './volumes/local-path-reclaimer.js';
import { ClaimCache } from './volumes/claim-cache.js';
import { CsiNode } from './csi/csi-node.js';
import { nfsNodeWatchFor, type NfsNodeWatch } from './volumes/nfs-node-watch.js';
import { NodeRecord } from './offline/record.js';
import { registerOrRetry, type Registration } from './offline/register-later.js';

export interface AgentOptions {
  api: ApiClient;
  runtime: ContainerRuntime;
  images: ImageStore;
  network: NetworkPlugin;
  nodeName: string;
  dataDir: string;
  labels?: Record<string, string>;
  version: string;
  heartbeatSeconds?: number;
  backoff?: BackoffConfig;
  log?: (msg: string) => void;
  /** Builds images for lcctl build (absent: the node cannot build). */
  builder?: ImageBuilder;
  /** Insecure registries and the server's built-in registry (registry-access.ts); default neither. */
  registries?: RegistryAccess;
  /** The node's device plugins (pods/hooks/devices.ts): its DeviceRegistry (agent/devices/registry.ts). */
  devices?: readonly DevicePlugin[];
  /** Log how long each step of a pod's start took (lanternd: $LANTERN_TRACE). */
  trace?: boolean;
  /** The node's cluster DNS (agent/dns): its domain and resolv.conf; absent: no cluster DNS. */
  dns?: Omit<NodeDnsOptions, 'api' | 'log' | 'stateFile' | 'nodeName'>;
  /** User-defined networks (lcctl network): attachments and the node's SR-IOV VFs. */
  userNetworks?: UserNetworks;
  /** The node's devices to advertise (its DeviceRegistry) and where sysfs is (devices/advertise.ts). */
  deviceSource?: { source: DeviceSource; sysfsRoot?: string };
  /** Keep an on-disk record of the pods and their ConfigMaps/Secrets (DATA_DIR/offline) and run from it when the server is out of reach (edge autonomy; `lanternd agent`). */
  offlineRecord?: boolean;
  /** The server was out of reach when the node joined: start from the record at once, register in the background. */
  startOffline?: boolean;
}

/**
 * The node agent: registers its Node, renews its heartbeat (node/registration.ts), runs the pods bound
 * to it through the runtime (pods/: a runner per pod with its hooks), and serves logs, exec, stats and
 * images for them (node/node-services.ts).
 */
export class Agent {
  readonly services: NodeServices;
  private readonly ctx: AgentContext;
  private readonly pods: PodManager;
  private heartbeat: NodeJS.Timeout | undefined;
  private stopSriov: (() => void) | undefined;
  private deviceAdvertiser: DeviceAdvertiser | undefined;
  private reclaimer: LocalPathReclaimer | undefined;
  private readonly claimCache: ClaimCache;
  private readonly csi: CsiNode;
  private nfsWatch: NfsNodeWatch | undefined;
  private registration: Registration | undefined;

  constructor(private readonly opts: AgentOptions) {
    const log = opts.log ?? ((m: string) => console.error(`agent: ${m}`));
    this.csi = new CsiNode({ api: opts.api, nodeName: opts.nodeName, dataDir: opts.dataDir, log });
    this.claimCache = new ClaimCache(opts.api, (m) => log(`volumes: ${m}`));
    this.ctx = {
      api: opts.api,
      runtime: opts.runtime,
      images: opts.images,
      network: opts.network,
      userNetworks: opts.userNetworks,
      nodeName: opts.nodeName,
      hostIP: primaryIPv4(),
      backoff: opts.backoff ?? defaultBackoff,
      volumes: {
        podDir: (uid) => path.join(opts.dataDir, 'pods', uid),
        namedVolume: (name) => path.join(opts.dataDir, 'volumes', name, '_data'),
      },
      log,
      registries: opts.registries ?? plainAccess,
      trace: opts.trace ?? false,
      claims: this.claimCache,
      volumeMounters: [this.csi.mounter],
      ...(opts.deviceSource ? { deviceMetrics: () => dcgmMetricsText(opts.deviceSource!.source, opts.nodeName) } : {}),
      ...(opts.offlineRecord ? { offline: new NodeRecord(path.join(opts.dataDir, 'offline'), (m) => log(m)) } : {}),
      ...(opts.dns ? { dns: new NodeDns({ ...opts.dns, api: opts.api, nodeName: opts.nodeName, log: (m) => log(`dns: ${m}`), stateFile: path.join(opts.dataDir, 'dns', 'records.json') }) } : {}),
    };
    this.pods = new PodManager(this.ctx, opts.devices);
    this.services = new LocalNodeServices(this.ctx, this.pods, opts.dataDir, opts.builder);
  }

  async start(): Promise<void> {
    await mkdir(this.opts.dataDir, { recursive: true });
    const runtimeVersion = `${this.opts.runtime.name}://${await this.opts.runtime.version()}`;
    const identity = { nodeName: this.opts.nodeName, labels: this.opts.labels ?? {}, runtimeVersion, version: this.opts.version, runtimeHandlers: this.opts.runtime.handlerNames?.() ?? [this.opts.runtime.name] };
    if (this.ctx.offline) {
      await this.ctx.offline.ready();
      this.registration = await registerOrRetry(this.ctx.api, identity, this.ctx.log, { now: this.opts.startOffline !== true });
      this.pods.offlineStart = this.opts.startOffline === true;
    } else await registerNode(this.ctx.api, identity);
    const published = publishLocalPathRoot(this.ctx.api, this.opts.nodeName, path.join(this.opts.dataDir, 'storage')).catch((e: unknown) => this.ctx.log(`publishing the local-path root failed: ${String(e)}`));
    // Started cut off (edge autonomy): each call waits for its own network failure, so do not wait on this one.
    if (this.registration?.pending !== true) await published;
    this.reclaimer = new LocalPathReclaimer({ api: this.ctx.api, nodeName: this.opts.nodeName, root: path.join(this.opts.dataDir, 'storage'), log: (m) => this.ctx.log(`local-path: ${m}`) });
    void this.reclaimer.start().catch((e: unknown) => this.ctx.log(`local-path reclaimer: ${String(e)}`));
    void this.claimCache.start().catch((e: unknown) => this.ctx.log(`claim cache: ${String(e)}`));
    await this.csi.start().catch((e: unknown) => this.ctx.log(`csi: ${String(e)}`));
    await this.ctx.dns?.start();
    await this.pods.start();
    // NFS mounts of pods gone while the agent was down are unmounted now; then swept and probed every 10 s.
    this.nfsWatch = nfsNodeWatchFor(this.ctx);
    this.nfsWatch.start();
    if (this.opts.deviceSource) {
      const { source, sysfsRoot } = this.opts.deviceSource;
      this.deviceAdvertiser = new DeviceAdvertiser({ api: this.ctx.api, nodeName: this.opts.nodeName, source, sysfsRoot, events: new EventRecorder(this.ctx.api, 'kubelet'), log: this.ctx.log });
      this.deviceAdvertiser.start();
    }
    if (this.opts.userNetworks) this.stopSriov = startSriovAdvertiser(this.ctx.api, this.opts.nodeName, this.opts.userNetworks, this.ctx.log);
    this.heartbeat = setInterval(() => { void heartbeat(this.ctx.api, this.opts.nodeName).catch((e: unknown) => this.ctx.log(`heartbeat failed: ${String(e)}`)); }, (this.opts.heartbeatSeconds ?? 10) * 1000);
    this.heartbeat.unref();
  }

  stop(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.registration?.stop();
    this.stopSriov?.();
    this.deviceAdvertiser?.stop();
    this.reclaimer?.stop();
    this.claimCache.stop();
    this.csi.stop();
    this.nfsWatch?.stop();
    this.pods.stop();
    void this.ctx.dns?.stop();
  }
}
