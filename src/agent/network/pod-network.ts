/**
 * The node side of the pod network: waits until the server gave this Node a pod range (spec.podCIDR),
 * then makes the node's CNI network on it (gateway .1, MTU lowered for vxlan, masquerade only out of
 * the cluster range), publishes its VTEP MAC and address on its own Node, and keeps the routes (and,
 * for vxlan, the neighbour and fdb entries) to every other node's range in line with the Node objects.
 *
 *   Node informer ──change──> sync (one at a time) ──> planRoutes(peers) ─diff(kernel)─> ip / bridge
 *                                        └─ first time: ensureVxlan, publish annotations, CniNetwork
 */
import type { Node } from '../../api/node.js';
import { backendAnnotation, clusterCidrAnnotation, nodeIpAnnotation, vtepMacAnnotation, type NetworkBackend } from '../../api/pod-network.js';
import type { ApiClient } from '../../client/types.js';
import { Informer, retryOnConflict } from '../../client/kit/index.js';
import type { NetworkPlugin } from '../../network/types.js';
import type { PendingNetwork } from '../../network/pending-network.js';
import { applyDiff, diffEntries, emptyDiff, ensureVxlan, networkAddress, planRoutes, readEntries, removeAll, type Peer, type Vtep } from '../../network/pod-routes/index.js';
import { ensureSysctl } from '../../network/host.js';
import { loadRange, saveRange } from '../offline/pod-range.js';

/** What the node's pod network is built from. */
export interface PodNetworkOptions {
  api: ApiClient;
  nodeName: string;
  /** The address other nodes reach this one by (its InternalIP). */
  nodeIP: string;
  /** The agent's network, resolved here once the range is known. */
  pending: PendingNetwork;
  /** Makes the node's CNI network on its range. */
  makeNetwork(subnet: string, mtu: number, clusterCidr: string): NetworkPlugin;
  log?: (msg: string) => void;
  /** Every Node looked at again this often, repairing entries someone removed (default 30 s). */
  resyncMs?: number;
  /** Where the range is kept, so a start cut off from the server builds the network from it (edge autonomy, agent/offline). */
  rangeFile?: string;
}

const peerOf = (n: Node): Peer => ({
  name: n.metadata.name,
  podCIDR: n.spec?.podCIDR,
  nodeIP: n.metadata.annotations?.[nodeIpAnnotation] ?? n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address,
  vtepMac: n.metadata.annotations?.[vtepMacAnnotation],
});

/** The pod network of this node; start() returns at once, the work follows the Node informer. */
export class NodePodNetwork {
  private readonly nodes: Informer<Node>;
  private readonly log: (msg: string) => void;
  private vtep: Vtep | undefined;
  private backend: NetworkBackend | undefined;
  private running: Promise<void> = Promise.resolve();
  private queued = false;
  private stopped = false;
  private lastError = '';
  /** The range the network was made on from the kept file, until the Node confirms it. */
  private keptRange: string | undefined;

  constructor(private readonly opts: PodNetworkOptions) {
    this.log = opts.log ?? ((m) => console.error(`pod-network: ${m}`));
    this.nodes = new Informer<Node>({ api: opts.api, resource: 'nodes', log: this.log });
  }

  /** Follow the Nodes; the first sync runs once the list is in. */
  start(): void {
    const kick = (): void => this.kick();
    this.nodes.addHandler({ onAdd: kick, onUpdate: kick, onDelete: kick }, { resyncMs: this.opts.resyncMs ?? 30_000 });
    void this.nodes.start().then(kick, (e: unknown) => this.log(`watching nodes failed: ${String(e)}`));
    // A Node's range never changes: pods need not wait for the nodes list (which never comes while cut off).
    void this.fromKeptRange();
  }

  /** Stop following; routes and the VXLAN device stay, so running pods keep their network. */
  stop(): void {
    this.stopped = true;
    this.nodes.stop();
  }

  /** Resolves when the syncs asked for so far are done (tests, benchmarks). */
  idle(): Promise<void> { return this.running; }

  /** One sync at a time; changes during a sync give one more sync after it. */
  private kick(): void {
    if (this.queued || this.stopped) return;
    this.queued = true;
    this.running = this.running.then(async () => {
      this.queued = false;
      try {
        await this.sync();
        this.lastError = '';
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        if (msg !== this.lastError) this.log(`programming the pod network failed (retried on the next change or resync): ${msg}`);
        this.lastError = msg;
      }
    });
  }

  private async sync(): Promise<void> {
    const self = this.nodes.get(this.opts.nodeName);
    const podCIDR = self?.spec?.podCIDR;
    if (!self || !podCIDR) return;
    const a = self.metadata.annotations ?? {};
    const backend = (a[backendAnnotation] ?? 'none') as NetworkBackend;
    const clusterCidr = a[clusterCidrAnnotation] ?? podCIDR;
    if (backend !== this.backend) {
      if (this.backend !== undefined) this.log(`network backend changed from ${this.backend} to ${backend}`);
      if (backend !== 'vxlan' && this.vtep) { await removeAll(); this.vtep = undefined; }
      this.backend = backend;
    }
    if (backend !== 'none') await ensureSysctl('net.ipv4.ip_forward', '1');
    if (backend === 'vxlan' && !this.vtep) this.vtep = await ensureVxlan(this.opts.nodeIP, networkAddress(podCIDR)!);
    await this.publish(self);
    if (this.keptRange !== undefined && this.keptRange !== podCIDR) {
      this.log(`ERROR: this Node's pod range is now ${podCIDR}, but the network was made on ${this.keptRange} (kept from the last start): restart the agent`);
      this.keptRange = undefined;
    }
    if (!this.opts.pending.current) {
      // A running pod's veth keeps the MTU it was made with; the range never changes under it.
      this.opts.pending.resolve(this.opts.makeNetwork(podCIDR, this.vtep?.mtu ?? 0, clusterCidr));
      if (this.opts.rangeFile) await saveRange(this.opts.rangeFile, { podCIDR, mtu: this.vtep?.mtu ?? 0, clusterCidr }, this.log);
      this.log(`pod range ${podCIDR} (cluster ${clusterCidr}, backend ${backend}${this.vtep ? `, MTU ${this.vtep.mtu}` : ''})`);
    }
    const wanted = backend === 'none' ? { routes: [], neighs: [], fdbs: [] } : planRoutes(this.opts.nodeName, podCIDR, backend, this.nodes.list().map(peerOf));
    const diff = diffEntries(await readEntries(), wanted);
    if (!emptyDiff(diff)) await applyDiff(diff);
  }

  /** Build the network at once on the range kept from the last start (edge autonomy: the server may be out of reach). */
  private async fromKeptRange(): Promise<void> {
    const kept = this.opts.rangeFile ? await loadRange(this.opts.rangeFile) : undefined;
    if (!kept || this.opts.pending.current || this.stopped) return;
    this.keptRange = kept.podCIDR;
    this.opts.pending.resolve(this.opts.makeNetwork(kept.podCIDR, kept.mtu, kept.clusterCidr));
    this.log(`pod range ${kept.podCIDR} (cluster ${kept.clusterCidr}) kept from the last start`);
  }

  /** This node's VTEP MAC (vxlan) and address on its own Node, when they differ from what is stored. */
  private async publish(self: Node): Promise<void> {
    const want: Record<string, string> = { [nodeIpAnnotation]: this.opts.nodeIP, ...(this.vtep ? { [vtepMacAnnotation]: this.vtep.mac } : {}) };
    const a = self.metadata.annotations ?? {};
    if (Object.entries(want).every(([k, v]) => a[k] === v)) return;
    await retryOnConflict(async (attempt) => {
      const n = attempt === 0 ? self : await this.opts.api.get<Node>('nodes', this.opts.nodeName);
      const updated = await this.opts.api.update<Node>('nodes', { ...n, metadata: { ...n.metadata, annotations: { ...n.metadata.annotations, ...want } } });
      this.nodes.remember(updated);
    });
  }
}
