/**
 * The node's cluster DNS: Services and EndpointSlices followed by kit informers into ClusterRecords,
 * a DnsServer listening on the node DNS address (the pod bridge's gateway, learned from the pods'
 * networks), the node's resolv.conf for upstreams and the pods' search path, and a snapshot of the
 * records on disk so a restarted agent cut off from the server still answers from what it last knew.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ApiClient } from '../../client/types.js';
import type { Clock } from '../../api/clock.js';
import type { EndpointSlice } from '../../api/schema/endpoint-slice.js';
import type { Service } from '../../api/schema/service.js';
import type { Network } from '../../api/schema/network.js';
import type { Pod } from '../../api/pod.js';
import { Informer } from '../../client/kit/index.js';
import { ClusterRecords } from './records.js';
import { parseResolvConf, type ResolvConf } from './resolv-conf.js';
import { DnsServer } from './server.js';
import { parseUpstream } from './upstream.js';
import { UserNetworkRecords } from './user-names.js';

/** How the node's DNS is set up (lanternd: --cluster-domain, --resolv-conf). */
export interface NodeDnsOptions {
  api: ApiClient;
  /** The cluster domain (default cluster.local). */
  clusterDomain?: string;
  /** The node's resolver file: upstreams and the host's search path (default /etc/resolv.conf). */
  resolvConf?: string;
  /** The port pods reach it on (53; tests may pick another). */
  port?: number;
  /** Where the last-known records are kept (absent: not kept). */
  stateFile?: string;
  clock?: Clock;
  log?: (msg: string) => void;
  /** This node's name: the asker of a container name is a pod of this node, and bridge networks are one node's. */
  nodeName?: string;
}

/** The DNS server of one node and what feeds it. */
export class NodeDns {
  readonly records = new ClusterRecords();
  /** Container names and aliases on user networks (Docker's embedded DNS), from every pod and Network. */
  readonly userNames: UserNetworkRecords;
  readonly server: DnsServer;
  readonly domain: string;
  private host: ResolvConf = { nameservers: [], searches: [], options: [] };
  private readonly services: Informer<Service>;
  private readonly slices: Informer<EndpointSlice>;
  private readonly pods: Informer<Pod>;
  private readonly networks: Informer<Network>;
  private readonly log: (msg: string) => void;
  private saveTimer: NodeJS.Timeout | undefined;
  private resolvTimer: NodeJS.Timeout | undefined;
  private known: string | undefined;
  private stopped = false;

  constructor(private readonly o: NodeDnsOptions) {
    this.domain = (o.clusterDomain ?? 'cluster.local').replace(/\.$/, '').toLowerCase();
    this.log = o.log ?? ((m) => console.error(`dns: ${m}`));
    this.userNames = new UserNetworkRecords(o.nodeName);
    this.server = new DnsServer({
      records: this.records, domain: this.domain, log: this.log, userNames: this.userNames,
      upstreams: () => this.host.nameservers.map(parseUpstream),
    });
    const base = { api: o.api, clock: o.clock, log: (m: string) => this.log(m) };
    this.services = new Informer<Service>({ ...base, resource: 'services' });
    this.slices = new Informer<EndpointSlice>({ ...base, resource: 'endpointslices' });
    // Every pod (a node may watch them all): a macvlan network's peers run on other nodes. Only what names need is kept.
    this.pods = new Informer<Pod>({ ...base, resource: 'pods', transform: slimPod });
    this.networks = new Informer<Network>({ ...base, resource: 'networks' });
  }

  /** Read resolv.conf and the snapshot, then follow the API in the background (a server away is no error). */
  async start(): Promise<void> {
    await this.readResolvConf();
    // The node's resolv.conf may change (DHCP, NetworkManager): read it again every 30 s.
    this.resolvTimer = setInterval(() => { void this.readResolvConf(); }, 30_000);
    this.resolvTimer.unref();
    await this.loadSnapshot();
    const changed = (): void => this.scheduleSave();
    this.services.addHandler({
      onAdd: (s) => { this.records.putService(s); changed(); },
      onUpdate: (_o, s) => { this.records.putService(s); changed(); },
      onDelete: (s) => { this.records.deleteService(s); changed(); },
    });
    this.slices.addHandler({
      onAdd: (s) => { this.records.putSlice(s); changed(); },
      onUpdate: (_o, s) => { this.records.putSlice(s); changed(); },
      onDelete: (s) => { this.records.deleteSlice(s); changed(); },
    });
    this.pods.addHandler({
      onAdd: (p) => this.userNames.putPod(p),
      onUpdate: (_o, p) => this.userNames.putPod(p),
      onDelete: (p) => this.userNames.deletePod(p),
    });
    this.networks.addHandler({
      onAdd: (n) => this.userNames.putNetwork(n),
      onUpdate: (_o, n) => this.userNames.putNetwork(n),
      onDelete: (n) => this.userNames.deleteNetwork(n),
    });
    void this.pods.start();
    void this.networks.start();
    void Promise.all([this.services.start(), this.slices.start()]).then(() => {
      if (this.stopped) return;
      // The first lists supersede the snapshot: what was deleted meanwhile goes.
      this.records.replaceAll(this.services.list(), this.slices.list());
      this.scheduleSave();
    });
  }

  /** Stop following the API and listening. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.services.stop();
    this.slices.stop();
    this.pods.stop();
    this.networks.stop();
    if (this.resolvTimer) clearInterval(this.resolvTimer);
    if (this.saveTimer) { clearTimeout(this.saveTimer); await this.save(); }
    await this.server.close();
  }

  /** The node DNS address learned so far (undefined until a pod's network told it). */
  get address(): string | undefined { return this.known; }

  /** The node's resolver settings (upstreams and search path). */
  get hostResolvConf(): ResolvConf { return this.host; }

  /** Listen on address (the pod's gateway); false when that failed (logged: pods then get the node's resolvers). */
  async listenOn(address: string): Promise<boolean> {
    try {
      await this.server.listen(address, this.o.port ?? 53);
      if (this.known !== address) this.log(`cluster DNS listening on ${address}:${this.o.port ?? 53} (domain ${this.domain})`);
      this.known = address;
      return true;
    } catch (e) {
      this.log(`cannot listen on ${address}:${this.o.port ?? 53} (${(e as Error).message}); pods get the node's resolvers instead`);
      return false;
    }
  }

  private async readResolvConf(): Promise<void> {
    const path = this.o.resolvConf ?? '/etc/resolv.conf';
    try {
      this.host = parseResolvConf(await readFile(path, 'utf8'));
    } catch (e) {
      this.log(`cannot read ${path}: ${(e as Error).message}; names outside the cluster will not resolve`);
    }
  }

  private scheduleSave(): void {
    if (!this.o.stateFile || this.saveTimer || this.stopped) return;
    this.saveTimer = setTimeout(() => { this.saveTimer = undefined; void this.save(); }, 1000);
    this.saveTimer.unref();
  }

  private async save(): Promise<void> {
    const file = this.o.stateFile;
    if (!file) return;
    try {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(`${file}.tmp`, JSON.stringify(this.records.snapshot()));
      await rename(`${file}.tmp`, file);
    } catch (e) {
      this.log(`cannot save the DNS records to ${file}: ${(e as Error).message}`);
    }
  }

  private async loadSnapshot(): Promise<void> {
    if (!this.o.stateFile) return;
    try {
      const snap = JSON.parse(await readFile(this.o.stateFile, 'utf8')) as { services?: Service[]; slices?: EndpointSlice[] };
      this.records.replaceAll(snap.services ?? [], snap.slices ?? []);
    } catch {
      // No snapshot yet (first start) or an unreadable one: the informers fill the records.
    }
  }
}

/** What the container names need of a pod: its name, node, annotations, phase and pod IP (not its spec's containers). */
function slimPod(p: Pod): Pod {
  return {
    ...p,
    metadata: { name: p.metadata.name, namespace: p.metadata.namespace, uid: p.metadata.uid, resourceVersion: p.metadata.resourceVersion, annotations: p.metadata.annotations, deletionTimestamp: p.metadata.deletionTimestamp },
    spec: { nodeName: p.spec.nodeName, containers: [] },
    status: { phase: p.status?.phase, podIP: p.status?.podIP },
  } as Pod;
}
