import type { NodeServices } from '../api/node-services.js';
import { ApiError } from '../api/errors.js';

/** A node's tunnel as the registry keeps it: how to check it still answers, and how to drop it. */
export interface LiveTunnel {
  /** Where it came from (the agent's address) and since when, for messages. */
  from: string;
  since: Date;
  /** Resolves true when the agent answers within timeoutMs. */
  ping(timeoutMs: number): Promise<boolean>;
  close(reason: string): void;
}

interface Entry { services: NodeServices; tunnel?: LiveTunnel }

/** The agents the server can reach for logs, exec, stats and images, by node name. */
export class NodeRegistry {
  private readonly nodes = new Map<string, Entry>();
  private readonly reserved = new Set<string>();
  private readonly offers = new Set<string>();
  private readonly tunnelListeners = new Set<(node: string, up: boolean) => void>();
  private elsewhere: ((node: string) => NodeServices | undefined) | undefined;

  /** Register a node's services: in-process (no tunnel) or through an agent's tunnel. */
  register(node: string, services: NodeServices, tunnel?: LiveTunnel): () => void {
    const entry: Entry = tunnel === undefined ? { services } : { services, tunnel };
    this.nodes.set(node, entry);
    if (tunnel !== undefined) for (const fn of this.tunnelListeners) fn(node, true);
    return () => {
      if (this.nodes.get(node) !== entry) return;
      this.nodes.delete(node);
      if (tunnel !== undefined) for (const fn of this.tunnelListeners) fn(node, false);
    };
  }

  /** Told when a node's tunnel registers (up) or goes (HA: the tunnel holder record); returns the unsubscribe. */
  onTunnel(fn: (node: string, up: boolean) => void): () => void {
    this.tunnelListeners.add(fn);
    return () => { this.tunnelListeners.delete(fn); };
  }

  /** Where get() finds a node connected to another server of the cluster (tunnel/relay.ts); undefined: nowhere. */
  reachElsewhere(fn: ((node: string) => NodeServices | undefined) | undefined): void { this.elsewhere = fn; }

  /** The services of a node connected to this server itself, never through another server. */
  connected(node: string): NodeServices | undefined { return this.nodes.get(node)?.services; }

  /** Keep `node` for the server's in-process agent: no tunnel may ever register it. */
  reserve(node: string): void { this.reserved.add(node); }

  /** Whether `node` is the server's own (reserved, or registered without a tunnel). */
  isLocal(node: string): boolean {
    const e = this.nodes.get(node);
    return this.reserved.has(node) || (e !== undefined && e.tunnel === undefined);
  }

  /** The live tunnel of `node`, if it has one. */
  tunnel(node: string): LiveTunnel | undefined { return this.nodes.get(node)?.tunnel; }

  /**
   * Claim the right to offer a new tunnel for `node` (one offer at a time is checked against the
   * live one); the release function, or undefined while another offer holds it.
   */
  claimOffer(node: string): (() => void) | undefined {
    if (this.offers.has(node)) return undefined;
    this.offers.add(node);
    return () => { this.offers.delete(node); };
  }

  names(): string[] { return [...this.nodes.keys()].sort(); }

  /** The services of a node (here, or relayed through the server holding its tunnel); a clear 503 when its agent is not connected. */
  get(node: string): NodeServices {
    const s = this.nodes.get(node)?.services ?? this.elsewhere?.(node);
    if (!s) throw new ApiError('Unavailable', `node "${node}" is not connected to this server (its agent is down or unreachable)`);
    return s;
  }
}
