import { ApiError } from '../api/errors.js';
import type { Node } from '../api/node.js';
import { mergeReportedLabels } from '../api/node-labels.js';
import type { ApiClient } from '../client/types.js';
import type { Clock } from './clock.js';
import { DueQueue } from './due-queue.js';
import { simReadyCondition } from './sim-node.js';
import type { WorkPool } from './work-pool.js';

/** One simulated node: its object, and the client it writes with (its own credential, or a shared one). */
export interface SimNode { name: string; index: number; api: ApiClient; desired: Node; readySince?: string }

/**
 * Registers simulated nodes and renews their Ready heartbeat. Heartbeats are spread evenly over the
 * interval (node k of N beats at k/N of it) and served by one timer, so N nodes make a steady N
 * writes per interval instead of a burst of N every interval.
 */
export class Heartbeats {
  private readonly queue: DueQueue<SimNode>;

  constructor(private readonly clock: Clock, private readonly pool: WorkPool, private readonly intervalMs: number) {
    this.queue = new DueQueue(clock, (node) => this.due(node));
  }

  /** Create the Node, or take over an existing one of that name (a restarted sim); post Ready. */
  async register(node: SimNode): Promise<void> {
    const { api, desired } = node;
    try {
      await api.create<Node>('nodes', { ...desired, status: undefined });
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'AlreadyExists')) throw e;
      const existing = await api.get<Node>('nodes', node.name);
      await api.update<Node>('nodes', { ...existing, metadata: { ...existing.metadata, labels: mergeReportedLabels(existing, desired.metadata.labels ?? {}) } });
    }
    node.readySince = new Date(this.clock.now()).toISOString();
    await this.beat(node);
  }

  /** Start beating for these nodes, spread over one interval from now. */
  start(nodes: readonly SimNode[]): void {
    const now = this.clock.now();
    nodes.forEach((n, k) => this.queue.push(now + Math.floor(((k + 1) * this.intervalMs) / nodes.length), n));
  }

  stop(): void { this.queue.stop(); }

  /** Post the node's status with a fresh heartbeat; no read first, the sim owns the whole status. */
  async beat(node: SimNode): Promise<void> {
    const at = new Date(this.clock.now()).toISOString();
    const status = { ...node.desired.status, conditions: [simReadyCondition(at, node.readySince ?? at)] };
    await node.api.updateStatus<Node>('nodes', { ...node.desired, status });
  }

  private due(node: SimNode): void {
    this.pool.submit(() => this.beat(node), `node/${node.name}`);
    this.queue.push(this.clock.now() + this.intervalMs, node);
  }
}
