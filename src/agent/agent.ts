import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { Node } from '../api/node.js';
import { ApiError } from '../api/errors.js';
import type { ApiClient } from '../client/types.js';
import type { ContainerRuntime } from '../runtime/types.js';
import type { ImageStore } from '../image/types.js';
import type { NetworkPlugin } from '../network/types.js';
import type { NodeServices } from '../api/node-services.js';
import type { AgentContext } from './context.js';
import type { ImageBuilder } from '../build/builder.js';
import { plainAccess, type RegistryAccess } from './registry-access.js';
import { PodManager } from './pod-manager.js';
import { LocalNodeServices } from './node-services.js';
import { describeNode, primaryIPv4, readyCondition } from './node-object.js';
import { mergeReportedLabels } from '../api/node-labels.js';
import { defaultBackoff, type BackoffConfig } from './restart-policy.js';

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
}

/**
 * The node agent: registers its Node, renews its heartbeat, runs the pods bound to it through the
 * runtime, and serves logs, exec, stats and images for them.
 */
export class Agent {
  readonly services: NodeServices;
  private readonly ctx: AgentContext;
  private readonly pods: PodManager;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly opts: AgentOptions) {
    const log = opts.log ?? ((m: string) => console.error(`agent: ${m}`));
    this.ctx = {
      api: opts.api,
      runtime: opts.runtime,
      images: opts.images,
      network: opts.network,
      nodeName: opts.nodeName,
      hostIP: primaryIPv4(),
      backoff: opts.backoff ?? defaultBackoff,
      volumes: {
        podDir: (uid) => path.join(opts.dataDir, 'pods', uid),
        namedVolume: (name) => path.join(opts.dataDir, 'volumes', name, '_data'),
      },
      log,
      registries: opts.registries ?? plainAccess,
    };
    this.pods = new PodManager(this.ctx);
    this.services = new LocalNodeServices(this.ctx, this.pods, opts.dataDir, opts.builder);
  }

  async start(): Promise<void> {
    await mkdir(this.opts.dataDir, { recursive: true });
    await this.register();
    await this.pods.start();
    this.heartbeat = setInterval(() => { void this.beat().catch((e: unknown) => this.ctx.log(`heartbeat failed: ${String(e)}`)); }, (this.opts.heartbeatSeconds ?? 10) * 1000);
    this.heartbeat.unref();
  }

  stop(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.pods.stop();
  }

  /** Create the Node, or refresh its labels and status if it exists (an agent restart). */
  private async register(): Promise<void> {
    const desired = describeNode(this.opts.nodeName, this.opts.labels ?? {}, `${this.opts.runtime.name}://${await this.opts.runtime.version()}`, this.opts.version);
    const at = new Date().toISOString();
    desired.status!.conditions = [readyCondition(undefined, at)];
    try {
      const created = await this.ctx.api.create<Node>('nodes', desired);
      await this.ctx.api.updateStatus('nodes', { ...created, status: desired.status });
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'AlreadyExists')) throw e;
      const existing = await this.ctx.api.get<Node>('nodes', this.opts.nodeName);
      const updated = await this.ctx.api.update<Node>('nodes', { ...existing, metadata: { ...existing.metadata, labels: mergeReportedLabels(existing, desired.metadata.labels ?? {}) } });
      await this.ctx.api.updateStatus('nodes', { ...updated, status: { ...desired.status, conditions: [readyCondition(existing, at)] } });
    }
  }

  private async beat(): Promise<void> {
    const node = await this.ctx.api.get<Node>('nodes', this.opts.nodeName);
    const at = new Date().toISOString();
    const conditions = [...(node.status?.conditions ?? []).filter((c) => c.type !== 'Ready'), readyCondition(node, at)];
    await this.ctx.api.updateStatus('nodes', { ...node, status: { ...node.status, conditions } });
  }
}
