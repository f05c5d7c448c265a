import type { Node } from '../../api/node.js';
import { backendAnnotation, clusterCidrAnnotation, type NetworkBackend } from '../../api/pod-network.js';
import { Controller, EventRecorder, isApiError, retryOnConflict, type ControllerInputs, type Informer } from '../../client/kit/index.js';
import { CidrAllocator } from './allocator.js';

/** The label of lanternd sim's nodes: they have no network, so they get no range. */
const simulatedLabel = 'lantern.dev/simulated';

/** Settings of the node IPAM controller (lanternd server --cluster-cidr, --node-cidr-mask-size, --network-backend). */
export interface NodeIpamOptions extends ControllerInputs {
  clusterCidr: string;
  nodeCidrMaskSize: number;
  backend: NetworkBackend;
}

const simulated = (n: Node): boolean => n.metadata.labels?.[simulatedLabel] === 'true';

/**
 * Gives every (real) Node a spec.podCIDR from the cluster range, with the backend and the cluster
 * range in annotations the agents read; a deleted Node's range is free again. The allocator is
 * rebuilt from the informer's first list before any reconcile runs, so a restart never hands out a
 * range twice. A node that finds the range exhausted gets a CIDRNotAvailable event and waits.
 */
export class NodeIpamController extends Controller {
  private readonly allocator: CidrAllocator;
  private readonly events: EventRecorder;
  private nodes: Informer<Node> | undefined;
  /** Which node holds which range, as the stored Nodes say. */
  private readonly byNode = new Map<string, string>();
  private readonly byCidr = new Map<string, string>();
  /** Nodes told CIDRNotAvailable, so the event is not repeated on every heartbeat. */
  private readonly starved = new Set<string>();

  constructor(private readonly opts: NodeIpamOptions) {
    super(opts, { name: 'node-ipam', workers: 1 });
    this.allocator = new CidrAllocator(opts.clusterCidr, opts.nodeCidrMaskSize);
    this.events = new EventRecorder(opts.api, 'node-ipam-controller');
  }

  /** Follow the Nodes; resolves once the first list is in and the ranges it holds are taken. */
  async start(): Promise<void> {
    const { loop } = this;
    const seen = (n: Node): void => {
      if (simulated(n)) return; // 5,000 of them heartbeat in bench:scheduler: not even a queue entry
      this.note(n);
      if (n.spec?.podCIDR === undefined || !this.annotated(n)) loop.queue.add(n.metadata.name);
    };
    this.nodes = loop.watch(loop.informer<Node>('nodes'), {
      onAdd: seen,
      onUpdate: (_, n) => seen(n),
      onDelete: (n) => this.forget(n.metadata.name),
    });
    await loop.start();
  }

  /** Give the node a range (and the annotations) if it has none. */
  async reconcile(name: string): Promise<void> {
    const cached = this.nodes?.get(name);
    if (!cached || simulated(cached) || (cached.spec?.podCIDR !== undefined && this.annotated(cached))) return;
    let taken: string | undefined;
    try {
      await retryOnConflict(async (attempt) => {
        const node = attempt === 0 ? cached : await this.opts.api.get<Node>('nodes', name);
        let cidr = node.spec?.podCIDR;
        if (cidr === undefined) {
          taken ??= this.allocator.allocate();
          if (taken === undefined) { await this.starve(node); return; }
          cidr = taken;
        }
        const updated = await this.opts.api.update<Node>('nodes', {
          ...node,
          metadata: { ...node.metadata, annotations: { ...node.metadata.annotations, [backendAnnotation]: this.opts.backend, [clusterCidrAnnotation]: this.opts.clusterCidr } },
          spec: { ...node.spec, podCIDR: cidr },
        });
        if (taken !== undefined && updated.spec?.podCIDR === taken) {
          this.claim(name, taken);
          taken = undefined;
          this.starved.delete(name);
          this.loop.log(`node ${name}: podCIDR ${updated.spec.podCIDR}`);
        }
        this.nodes?.remember(updated);
      });
    } catch (e) {
      if (!isApiError(e, 'NotFound')) throw e;
    } finally {
      if (taken !== undefined) this.allocator.release(taken); // not stored: give it back
    }
  }

  private annotated(n: Node): boolean {
    const a = n.metadata.annotations ?? {};
    return a[backendAnnotation] === this.opts.backend && a[clusterCidrAnnotation] === this.opts.clusterCidr;
  }

  /** Record the range a stored Node holds (the first list rebuilds the allocator from these). */
  private note(n: Node): void {
    const name = n.metadata.name;
    const cidr = n.spec?.podCIDR;
    if (this.byNode.get(name) === cidr) return;
    if (this.byNode.has(name)) this.forget(name, false);
    if (cidr === undefined) return;
    const holder = this.byCidr.get(cidr);
    if (holder !== undefined && holder !== name) {
      this.loop.log(`node ${name} has podCIDR ${cidr}, which node ${holder} holds already; an admin must give one of them another range`);
      return;
    }
    if (!this.allocator.occupy(cidr) && this.allocator.contains(cidr)) return;
    this.claim(name, cidr);
  }

  private claim(name: string, cidr: string): void {
    this.byNode.set(name, cidr);
    this.byCidr.set(cidr, name);
  }

  /** A deleted Node's range is free; nodes waiting for one are tried again. */
  private forget(name: string, retryWaiting = true): void {
    this.starved.delete(name);
    const cidr = this.byNode.get(name);
    if (cidr === undefined) return;
    this.byNode.delete(name);
    if (this.byCidr.get(cidr) === name) {
      this.byCidr.delete(cidr);
      this.allocator.release(cidr);
    }
    if (retryWaiting) for (const waiting of this.starved) this.loop.queue.add(waiting);
  }

  private async starve(node: Node): Promise<void> {
    const name = node.metadata.name;
    if (this.starved.has(name)) return;
    this.starved.add(name);
    const message = `no pod range left for node ${name}: --cluster-cidr ${this.opts.clusterCidr} holds ${this.allocator.capacity} ranges of /${this.opts.nodeCidrMaskSize} and all are taken; `
      + 'delete unused Nodes or restart lanternd server with a larger --cluster-cidr or --node-cidr-mask-size';
    this.loop.log(message);
    await this.events.record(node, 'Warning', 'CIDRNotAvailable', message); // logs its own failure
  }
}
