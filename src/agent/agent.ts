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
import { defaultBackoff, type BackoffConfig } from './restart-policy.js';
import { NodeDns, type NodeDnsOptions } from './dns/node-dns.js';

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
  /** The node's device plugins (pods/hooks/devices.ts); none yet. */
  devices?: readonly DevicePlugin[];
  /** Log how long each step of a pod's start took (lanternd: $LANTERN_TRACE). */
  trace?: boolean;
  /** The node's cluster DNS (agent/dns): its domain and resolv.conf; absent: no cluster DNS. */
  dns?: Omit<NodeDnsOptions, 'api' | 'log' | 'stateFile' | 'nodeName'>;
  /** User-defined networks (lcctl network): attachments and the node's SR-IOV VFs. */
  userNetworks?: UserNetworks;
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

  constructor(private readonly opts: AgentOptions) {
    const log = opts.log ?? ((m: string) => console.error(`agent: ${m}`));
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
      ...(opts.dns ? { dns: new NodeDns({ ...opts.dns, api: opts.api, nodeName: opts.nodeName, log: (m) => log(`dns: ${m}`), stateFile: path.join(opts.dataDir, 'dns', 'records.json') }) } : {}),
    };
    this.pods = new PodManager(this.ctx, opts.devices);
    this.services = new LocalNodeServices(this.ctx, this.pods, opts.dataDir, opts.builder);
  }

  async start(): Promise<void> {
    await mkdir(this.opts.dataDir, { recursive: true });
    const runtimeVersion = `${this.opts.runtime.name}://${await this.opts.runtime.version()}`;
    await registerNode(this.ctx.api, { nodeName: this.opts.nodeName, labels: this.opts.labels ?? {}, runtimeVersion, version: this.opts.version });
    await this.ctx.dns?.start();
    await this.pods.start();
    if (this.opts.userNetworks) this.stopSriov = startSriovAdvertiser(this.ctx.api, this.opts.nodeName, this.opts.userNetworks, this.ctx.log);
    this.heartbeat = setInterval(() => { void heartbeat(this.ctx.api, this.opts.nodeName).catch((e: unknown) => this.ctx.log(`heartbeat failed: ${String(e)}`)); }, (this.opts.heartbeatSeconds ?? 10) * 1000);
    this.heartbeat.unref();
  }

  stop(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.stopSriov?.();
    this.pods.stop();
    void this.ctx.dns?.stop();
  }
}
