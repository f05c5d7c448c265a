import type { Node } from '../api/node.js';
import type { Pod } from '../api/pod.js';
import type { ApiClient } from '../client/types.js';
import { systemClock, type Clock } from './clock.js';
import type { FakeBehavior } from './fake-behavior.js';
import { FakePodRunner, type PodIPs, type RunnerNode } from './fake-pod-runner.js';
import { Heartbeats } from './heartbeats.js';
import { PodWatch, type WatchScope } from './pod-watch.js';
import { FakePodIPs, simulatedNode, type SimNodeShape } from './sim-node.js';
import { mapLimit, WorkPool } from './work-pool.js';

export interface SimulatedNodesOptions {
  /** The shared client: registers nodes, writes status and runs the one cluster-wide pod watch. */
  api: ApiClient;
  /**
   * Per-node clients (each node's own credential). When given, each node writes through its own
   * client and watches only its own pods, since a node credential may not watch all pods.
   */
  nodeApi?: (name: string) => Promise<ApiClient>;
  count: number;
  namePrefix: string;
  shape: SimNodeShape;
  heartbeatMs: number;
  /** Pods that name no run time of their own (fake-behavior.ts) exit this long after they started. */
  runForMs?: number;
  /** How a pod behaves when not by its fake-* annotations and env (a test's own conventions). */
  behaviorOf?: (pod: Pod, node: string) => FakeBehavior | undefined;
  /** Node i's name (default namePrefix + i). */
  nameOf?: (index: number) => string;
  /** The Node object node i registers (default simulatedNode: shape, labels, nodeInfo). */
  nodeObject?: (name: string, index: number) => Node;
  /** Node i's pod addresses (default FakePodIPs: 10.(128+i/256).(i%256).2-254). */
  podIPs?: (index: number) => PodIPs;
  /** API writes in flight at once (default 32). */
  concurrency?: number;
  clock?: Clock;
  log?: (msg: string) => void;
}

/** N simulated nodes in one process: registered and heartbeating through the API, pods run by a fake runner. */
export class SimulatedNodes {
  readonly nodes: RunnerNode[] = [];
  private readonly byName = new Map<string, RunnerNode>();
  private readonly clock: Clock;
  private readonly pool: WorkPool;
  private readonly heartbeats: Heartbeats;
  private readonly runner: FakePodRunner;
  private readonly watches: PodWatch[] = [];
  private readonly log: (msg: string) => void;

  constructor(private readonly opts: SimulatedNodesOptions) {
    this.clock = opts.clock ?? systemClock;
    this.log = opts.log ?? ((m) => console.error(`sim: ${m}`));
    this.pool = new WorkPool(opts.concurrency ?? 32, (e) => this.log(`write failed: ${String(e)}`));
    this.heartbeats = new Heartbeats(this.clock, this.pool, opts.heartbeatMs);
    this.runner = new FakePodRunner({ clock: this.clock, pool: this.pool, nodeOf: (n) => this.byName.get(n), runForMs: opts.runForMs, behaviorOf: opts.behaviorOf });
  }

  /** Node names, in order. */
  get names(): string[] { return this.nodes.map((n) => n.name); }

  /** Register every node (bounded concurrency), then start heartbeats and the pod watch. */
  async start(): Promise<void> {
    const { opts } = this;
    const indexes = Array.from({ length: opts.count }, (_, i) => i);
    await mapLimit(indexes, opts.concurrency ?? 32, async (i) => {
      const name = opts.nameOf?.(i) ?? `${opts.namePrefix}${i}`;
      const api = opts.nodeApi ? await opts.nodeApi(name) : opts.api;
      const desired = opts.nodeObject?.(name, i) ?? simulatedNode(name, i, opts.shape);
      const node: RunnerNode = { name, index: i, api, desired, ips: opts.podIPs?.(i) ?? new FakePodIPs(i) };
      await this.heartbeats.register(node);
      this.nodes[i] = node;
      this.byName.set(name, node);
    });
    this.heartbeats.start(this.nodes);
    const scopes: WatchScope[] = opts.nodeApi
      ? this.nodes.map((n) => ({ api: n.api, fieldSelector: `spec.nodeName=${n.name}` }))
      : [{ api: opts.api }];
    for (const s of scopes) {
      const w = new PodWatch(s, this.clock, (e) => this.runner.handle(e), this.log);
      this.watches.push(w);
      w.start();
    }
  }

  /** Stop beating and watching; the nodes stay registered and their heartbeats go stale. */
  stop(): void {
    this.heartbeats.stop();
    this.runner.stop();
    for (const w of this.watches) w.stop();
  }

  /** Resolves when no API write is queued or in flight (for tests). */
  settled(): Promise<void> { return this.pool.idle(); }
}
