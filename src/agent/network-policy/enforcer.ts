/**
 * NetworkPolicy on this node: kit informers of every NetworkPolicy and (while any exists) every pod,
 * compiled by network/policy/compile.ts into the node's own nftables table, re-applied atomically
 * after each change. With no policy the table holds no pod chain and no pod watch is open.
 */
import type { Pod } from '../../api/pod.js';
import type { NetworkPolicy } from '../../api/schema/network-policy.js';
import { Informer } from '../../client/kit/index.js';
import type { ApiClient } from '../../client/types.js';
import { compilePolicies, type PolicyPod } from '../../network/policy/compile.js';
import { applyNft, deleteNftTable, ensureBridgeNetfilter } from '../../network/policy/nft.js';

/** What the enforcer needs; apply is replaceable for tests. */
export interface PolicyEnforcerOptions {
  api: ApiClient;
  nodeName: string;
  table: string;
  log: (msg: string) => void;
  apply?: (script: string) => Promise<void>;
}

/** How long changes are gathered before one recompile (a rollout changes many pods at once). */
const SETTLE_MS = 50;
/** Retry after a failed apply. */
const RETRY_MS = 2000;

/** The parts of a pod the compiler reads; everything else is dropped from the cache. */
export function policyPod(p: Pod, nodeName: string): PolicyPod | undefined {
  const ip = p.status?.podIP;
  if (!ip || p.spec.hostNetwork || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') return undefined;
  return {
    namespace: p.metadata.namespace ?? 'default', name: p.metadata.name, ip, labels: p.metadata.labels ?? {}, local: p.spec.nodeName === nodeName,
    namedPorts: p.spec.containers.flatMap((c) => (c.ports ?? []).filter((cp) => cp.name).map((cp) => ({ name: cp.name!, port: cp.containerPort, protocol: cp.protocol ?? 'TCP' }))),
  };
}

/** Keeps the node's policy table in step with the API. */
export class PolicyEnforcer {
  private readonly policies: Informer<NetworkPolicy>;
  private pods: Informer<Pod> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private applied = '';
  private running = Promise.resolve();
  private stopped = false;

  constructor(private readonly opts: PolicyEnforcerOptions) {
    this.policies = new Informer<NetworkPolicy>({ api: opts.api, resource: 'networkpolicies', log: (m) => opts.log(`networkpolicy watch: ${m}`) });
  }

  /** Lists the policies and writes the table once before resolving. */
  async start(): Promise<void> {
    await ensureBridgeNetfilter(this.opts.log);
    if (this.stopped) return;
    const changed = { onAdd: () => this.changed(), onUpdate: () => this.changed(), onDelete: () => this.changed() };
    this.policies.addHandler(changed);
    await this.policies.start();
    if (!this.stopped) await this.sync();
  }

  /** Stops following and removes the table: an agent that is not running enforces nothing (pods stay reachable). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.policies.stop();
    this.pods?.stop();
    await this.running;
    await deleteNftTable(this.opts.table);
  }

  private changed(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => { this.timer = undefined; void this.sync(); }, SETTLE_MS);
  }

  /** One recompile; runs are serialised, and a failure is retried. */
  private sync(): Promise<void> {
    this.running = this.running.then(async () => {
      if (this.stopped) return;
      try {
        await this.followPods();
        const pods = (this.pods?.list() ?? []).map((p) => policyPod(p, this.opts.nodeName)).filter((p): p is PolicyPod => p !== undefined);
        const script = compilePolicies({ table: this.opts.table, policies: this.policies.list(), pods });
        if (script === this.applied) return;
        await (this.opts.apply ?? applyNft)(script);
        this.applied = script;
      } catch (e) {
        this.opts.log(`network policy: ${(e as Error).message}; retrying`);
        if (!this.stopped) this.timer ??= setTimeout(() => { this.timer = undefined; void this.sync(); }, RETRY_MS);
      }
    });
    return this.running;
  }

  /** Every pod is followed only while some policy exists: without policies a node watches no one else's pods. */
  private async followPods(): Promise<void> {
    const want = this.policies.size > 0;
    if (want && !this.pods) {
      const pods = new Informer<Pod>({ api: this.opts.api, resource: 'pods', log: (m) => this.opts.log(`networkpolicy pod watch: ${m}`) });
      pods.addHandler({ onAdd: () => this.changed(), onUpdate: (a, b) => { if (relevant(a) !== relevant(b)) this.changed(); }, onDelete: () => this.changed() });
      this.pods = pods;
      await pods.start();
    } else if (!want && this.pods) {
      this.pods.stop();
      this.pods = undefined;
    }
  }
}

/** What of a pod the table depends on, so heartbeat-like status writes cause no recompile. */
function relevant(p: Pod): string {
  return JSON.stringify([p.status?.podIP, p.status?.phase, p.metadata.labels, p.spec.nodeName, p.spec.containers.map((c) => c.ports)]);
}
