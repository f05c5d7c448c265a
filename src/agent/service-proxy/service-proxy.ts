/**
 * The node's service proxy: follows every Service and EndpointSlice (kit informers on the agent's
 * client), compiles the Services that changed, and has the syncer rewrite only their chains; a full
 * sync at start and every `fullSyncMs`. While the server is unreachable the informers keep their
 * caches and the kernel keeps the last rules, so Services go on working from what the node last knew.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { ApiClient } from '../../client/types.js';
import { Informer } from '../../client/kit/informer.js';
import type { Service } from '../../api/schema/service.js';
import type { EndpointSlice } from '../../api/schema/endpoint-slice.js';
import { compileService, type ServiceRules } from '../../network/service-proxy/compile.js';
import { NftSyncer, type SyncResult } from '../../network/service-proxy/syncer.js';
import { proxyTableFor } from '../../network/service-proxy/names.js';

/** What the proxy needs from its node. */
export interface ServiceProxyOptions {
  api: ApiClient;
  /** The pod bridge: traffic entering by it is a local pod's (not masqueraded); it also names the table. */
  bridge: string;
  /** Full resync period (default 5 minutes); partial syncs run on every change. */
  fullSyncMs?: number;
  /** nft and its leading arguments (tests: in a namespace). */
  command?: readonly string[];
  log?: (msg: string) => void;
  /** Told after each sync (the benchmark times rule programming with it). */
  onSync?: (r: SyncResult) => void;
}

const sliceService = (s: EndpointSlice): string | undefined => {
  const name = s.metadata.labels?.['kubernetes.io/service-name'];
  return name ? `${s.metadata.namespace ?? 'default'}/${name}` : undefined;
};
const keyOf = (o: { metadata: { namespace?: string; name: string } }): string => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;

/** kube-proxy for one node, on nftables. */
export class ServiceProxy {
  private readonly services: Informer<Service>;
  private readonly slices: Informer<EndpointSlice>;
  /** Service key -> slice key -> slice (the slices informer indexed by their Service). */
  private readonly slicesOf = new Map<string, Map<string, EndpointSlice>>();
  private readonly desired = new Map<string, ServiceRules>();
  private readonly dirty = new Set<string>();
  readonly syncer: NftSyncer;
  private readonly log: (msg: string) => void;
  private synced = false;
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private fullTimer: NodeJS.Timeout | undefined;
  private needFull = true;
  private stopped = false;

  constructor(private readonly opts: ServiceProxyOptions) {
    this.log = opts.log ?? ((m) => console.error(`service-proxy: ${m}`));
    this.syncer = new NftSyncer({ table: proxyTableFor(opts.bridge), command: opts.command, log: this.log });
    const log = (m: string): void => this.log(m);
    this.services = new Informer<Service>({ api: opts.api, resource: 'services', log });
    this.slices = new Informer<EndpointSlice>({ api: opts.api, resource: 'endpointslices', log });
    this.services.addHandler({
      onAdd: (s) => this.touch(keyOf(s)), onUpdate: (_o, s) => this.touch(keyOf(s)), onDelete: (s) => this.touch(keyOf(s)),
    });
    const sliceChanged = (s: EndpointSlice, gone: boolean): void => {
      const svc = sliceService(s);
      if (!svc) return;
      let m = this.slicesOf.get(svc);
      if (!m) this.slicesOf.set(svc, m = new Map());
      if (gone) m.delete(keyOf(s)); else m.set(keyOf(s), s);
      if (m.size === 0) this.slicesOf.delete(svc);
      this.touch(svc);
    };
    this.slices.addHandler({ onAdd: (s) => sliceChanged(s, false), onUpdate: (_o, s) => sliceChanged(s, false), onDelete: (s) => sliceChanged(s, true) });
  }

  /** List both kinds, program the whole table, then follow changes. */
  async start(): Promise<void> {
    await ensureBridgeNetfilter(this.log);
    // Until both lists are in, the kernel keeps whatever rules the last run left (the server may be down).
    void Promise.all([this.services.start(), this.slices.start()]).then(() => {
      this.synced = true;
      this.schedule(0);
    });
    const period = this.opts.fullSyncMs ?? 300_000;
    this.fullTimer = setInterval(() => { this.needFull = true; this.schedule(0); }, period);
    this.fullTimer.unref();
  }

  /** Stop following; the rules stay (pods keep running, so their Services keep working) unless removeRules. */
  async stop(opts: { removeRules?: boolean } = {}): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.fullTimer);
    this.services.stop();
    this.slices.stop();
    await this.running;
    if (opts.removeRules) await this.syncer.remove();
  }

  /** Resolves once the rules reflect everything the informers have seen (tests). */
  async idle(): Promise<void> {
    while (!this.synced || this.running || this.dirty.size > 0 || this.needFull) await new Promise((r) => setTimeout(r, 10));
  }

  private touch(key: string): void {
    this.dirty.add(key);
    if (this.synced) this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => { this.timer = undefined; void this.runSync(); }, ms);
  }

  private async runSync(): Promise<void> {
    if (this.running) { await this.running; this.schedule(0); return; }
    if (this.stopped || (!this.needFull && this.dirty.size === 0)) return;
    const full = this.needFull;
    const keys = [...this.dirty];
    this.dirty.clear();
    this.needFull = false;
    this.running = (async () => {
      for (const k of full ? [...this.desired.keys(), ...keys] : keys) this.compile(k);
      if (full) for (const s of this.services.list()) this.compile(keyOf(s));
      try {
        const r = full ? await this.syncer.fullSync(this.desired) : await this.syncer.partialSync(this.desired, keys);
        this.opts.onSync?.(r);
      } catch (e) {
        this.log(`sync failed (again in 1 s): ${e instanceof Error ? e.message : String(e)}`);
        for (const k of keys) this.dirty.add(k);
        this.needFull = this.needFull || full;
        this.running = undefined;
        this.schedule(1000);
      }
    })();
    await this.running;
    this.running = undefined;
    if (this.dirty.size > 0 || this.needFull) this.schedule(0);
  }

  private compile(key: string): void {
    const svc = this.services.get(key);
    if (!svc) { this.desired.delete(key); return; }
    this.desired.set(key, compileService(svc, [...(this.slicesOf.get(key)?.values() ?? [])], { podInterfaces: [this.opts.bridge] }));
  }
}

/**
 * Replies between two pods of one bridge must pass conntrack to be un-DNATed, as kube-proxy requires
 * (br_netfilter's bridge-nf-call-iptables). Missing module: logged, ClusterIPs then work only across nodes.
 */
async function ensureBridgeNetfilter(log: (m: string) => void): Promise<void> {
  const file = '/proc/sys/net/bridge/bridge-nf-call-iptables';
  try {
    if ((await readFile(file, 'utf8')).trim() !== '1') await writeFile(file, '1');
  } catch (e) {
    log(`cannot turn on ${file} (load br_netfilter): pod-to-Service traffic within this node may break: ${e instanceof Error ? e.message : String(e)}`);
  }
}
