/**
 * The node's CSI side, started with the agent: the plugin watcher over DATA_DIR/plugins_registry, the
 * registered drivers, the CSI mounter (for the volumes hook) and the provisioner/resizer/deleter of
 * drivers whose controller service runs here. A driver coming or going republishes the Node's
 * csi.volume.kubernetes.io/nodeid annotation and retries teardowns left for it.
 */
import path from 'node:path';
import type { ApiClient } from '../../client/types.js';
import type { Pod } from '../../api/pod.js';
import { EventRecorder } from '../../client/kit/events.js';
import { CsiMounter, CsiMountError } from '../volumes/csi-mounter.js';
import type { SecretRef } from '../../api/csi.js';
import { readSecretData } from './secrets.js';
import { CsiDrivers } from './drivers.js';
import { publishCsiNodeInfo } from './node-info.js';
import { PluginWatcher } from './plugin-watcher.js';
import { CsiProvisioner } from './provisioner.js';
import { CSI_PLUGIN_TYPE } from './types.js';

/** What the CSI side of a node needs. */
export interface CsiNodeOptions {
  api: ApiClient;
  nodeName: string;
  dataDir: string;
  log: (msg: string) => void;
  /** How often the registration folder is listed besides fs.watch (ms; default 1000). */
  rescanMs?: number;
  /** How often publishes of pods gone from the node are looked for (ms; default 30000). */
  sweepMs?: number;
}

/** The registration folder under a node's data dir (as the kubelet's /var/lib/kubelet/plugins_registry). */
export const pluginsRegistryDir = (dataDir: string): string => path.join(dataDir, 'plugins_registry');

/** The CSI parts of one node. */
export class CsiNode {
  readonly drivers: CsiDrivers;
  readonly mounter: CsiMounter;
  private readonly watcher: PluginWatcher;
  private readonly provisioner: CsiProvisioner;
  private unsubscribe: (() => void) | undefined;
  private publishing: Promise<void> = Promise.resolve();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly opts: CsiNodeOptions) {
    const log = (m: string): void => opts.log(`csi: ${m}`);
    this.drivers = new CsiDrivers(log);
    const secrets = (ref: SecretRef | undefined, what: string): Promise<Record<string, string>> =>
      readSecretData(opts.api, ref, what).catch((e: unknown) => { throw new CsiMountError('CSISecretNotReadable', e instanceof Error ? e.message : String(e), 5000); });
    this.mounter = new CsiMounter(this.drivers, path.join(opts.dataDir, 'csi'), log, new EventRecorder(opts.api, 'kubelet'), secrets);
    this.watcher = new PluginWatcher({ dir: pluginsRegistryDir(opts.dataDir), handlers: { [CSI_PLUGIN_TYPE]: this.drivers }, log, rescanMs: opts.rescanMs ?? 1000 });
    this.provisioner = new CsiProvisioner({ api: opts.api, drivers: this.drivers, mounter: this.mounter, nodeName: opts.nodeName, log });
  }

  /** Starts the watcher and the provisioner (after the Node is registered: the annotation goes on it). */
  async start(): Promise<void> {
    this.unsubscribe = this.drivers.onChange(() => this.changed());
    await this.watcher.start();
    // Not awaited: its informers retry their first list until it succeeds, and the agent must not wait on that.
    void this.provisioner.start().catch((e: unknown) => this.opts.log(`csi: provisioner: ${String(e)}`));
    this.changed();
    this.sweeper = setInterval(() => this.changed(), this.opts.sweepMs ?? 30_000);
    this.sweeper.unref();
  }

  /** Stops following drivers; what is mounted stays mounted (pods keep running). */
  stop(): void {
    this.unsubscribe?.();
    if (this.sweeper) clearInterval(this.sweeper);
    this.watcher.stop();
    this.provisioner.stop();
    this.drivers.close();
  }

  private changed(): void {
    this.publishing = this.publishing.then(async () => {
      await publishCsiNodeInfo(this.opts.api, this.opts.nodeName, this.drivers.list());
      await this.mounter.retryReleased();
      const listedAt = Date.now();
      const pods = await this.opts.api.list<Pod>('pods', undefined, { fieldSelector: `spec.nodeName=${this.opts.nodeName}` });
      await this.mounter.sweep(new Set(pods.items.map((p) => p.metadata.uid ?? p.metadata.name)), listedAt);
    }).catch((e: unknown) => this.opts.log(`csi: publishing the node's drivers: ${e instanceof Error ? e.message : String(e)}`));
  }
}
