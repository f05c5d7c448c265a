import { ApiError } from '../api/errors.js';
import type { NetworkPlugin, PodNetwork, PortMapping } from './types.js';

/**
 * A NetworkPlugin whose real plugin exists only once the node knows its pod range (spec.podCIDR, from
 * the server's node IPAM): the agent starts at once and every call waits for resolve(). A call that
 * waits longer than waitMs fails with Unavailable, so a pod reports why it does not start.
 */
export class PendingNetwork implements NetworkPlugin {
  private plugin: NetworkPlugin | undefined;
  private readonly ready: Promise<NetworkPlugin>;
  private settle: (p: NetworkPlugin) => void = () => undefined;

  constructor(private readonly waitMs = 60_000, private readonly why = 'this node has no pod range (spec.podCIDR) yet') {
    this.ready = new Promise((resolve) => { this.settle = resolve; });
  }

  /** The real plugin, from now on; later calls are ignored (a range never changes under running pods). */
  resolve(plugin: NetworkPlugin): void {
    if (this.plugin) return;
    this.plugin = plugin;
    this.settle(plugin);
  }

  /** The real plugin once resolved. */
  get current(): NetworkPlugin | undefined { return this.plugin; }

  async setUp(podId: string, mode: 'bridge' | 'none', ports: PortMapping[], onNamespace?: (netnsPath: string) => void): Promise<PodNetwork> {
    return (await this.wait()).setUp(podId, mode, ports, onNamespace);
  }

  async tearDown(podId: string, ports: PortMapping[]): Promise<void> {
    return (await this.wait()).tearDown(podId, ports);
  }

  async existing(podId: string): Promise<PodNetwork | undefined> {
    return (await this.wait()).existing(podId);
  }

  async check(podId: string): Promise<void> {
    const p = await this.wait();
    if (p.check) await p.check(podId);
  }

  /** [] until resolved: the agent's start collects orphans with it and must not wait for the range (it runs again later). */
  async list(): Promise<string[]> {
    const p = this.plugin;
    if (!p) return [];
    return p.list ? p.list() : [];
  }

  private async wait(): Promise<NetworkPlugin> {
    if (this.plugin) return this.plugin;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ApiError('Unavailable', `the pod network is not ready: ${this.why}; `
        + 'the server assigns one from its --cluster-cidr (see the Node\'s events: CIDRNotAvailable means the range is exhausted)')), this.waitMs);
      timer.unref();
    });
    try { return await Promise.race([this.ready, timeout]); } finally { clearTimeout(timer); }
  }
}
