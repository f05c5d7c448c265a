/**
 * The cluster's DNS records as this node last saw them: Services and their EndpointSlices in, names
 * and addresses out. Kept per Service (one entry recomputed whenever the Service or one of its slices
 * changes) with a reverse index for PTR, so a query is a few map lookups.
 */
import type { Service } from '../../api/schema/service.js';
import { isHeadless, serviceNameLabel } from '../../api/schema/service.js';
import type { EndpointSlice } from '../../api/schema/endpoint-slice.js';

/** One endpoint a name resolves to: its address and the label it is known by under the Service. */
export interface EndpointRecord {
  ip: string;
  /** The endpoint's hostname, or its address with dashes (1-2-3-4), as CoreDNS names it. */
  label: string;
  /** Port by the Service port name, from the slice the endpoint came from. */
  ports: Map<string, { port: number; protocol: string }>;
}

/** What DNS knows of one Service. */
export interface ServiceRecord {
  namespace: string;
  name: string;
  /** The Service's virtual IP ('' for headless or ExternalName). */
  clusterIP: string;
  headless: boolean;
  externalName?: string;
  /** Named ports: name -> port and protocol (lower case), for SRV. */
  ports: Map<string, { port: number; protocol: string }>;
  /** Ready endpoints (all of them with publishNotReadyAddresses). */
  endpoints: EndpointRecord[];
}

/** A name a reverse lookup gives: the fully qualified name without the domain. */
type ReverseName = string;

/** The records of the cluster, updated from the informers' events. */
export class ClusterRecords {
  private readonly services = new Map<string, Service>();
  /** Service key -> slice name -> slice. */
  private readonly slices = new Map<string, Map<string, EndpointSlice>>();
  private readonly records = new Map<string, ServiceRecord>();
  /** IP -> names (relative to the cluster domain) by Service key, for PTR. */
  private readonly reverse = new Map<string, Map<string, ReverseName>>();

  /** A Service was added or changed. */
  putService(svc: Service): void {
    const key = keyOf(svc.metadata.namespace, svc.metadata.name);
    this.services.set(key, svc);
    this.rebuild(key);
  }

  /** A Service was deleted. */
  deleteService(svc: Pick<Service, 'metadata'>): void {
    const key = keyOf(svc.metadata.namespace, svc.metadata.name);
    this.services.delete(key);
    this.rebuild(key);
  }

  /** An EndpointSlice was added or changed (its Service is named by the kubernetes.io/service-name label). */
  putSlice(slice: EndpointSlice): void {
    const key = sliceOwner(slice);
    if (!key) return;
    let m = this.slices.get(key);
    if (!m) this.slices.set(key, (m = new Map()));
    m.set(slice.metadata.name, slice);
    this.rebuild(key);
  }

  /** An EndpointSlice was deleted. */
  deleteSlice(slice: Pick<EndpointSlice, 'metadata'>): void {
    const key = sliceOwner(slice);
    if (!key) return;
    const m = this.slices.get(key);
    if (!m?.delete(slice.metadata.name)) return;
    if (m.size === 0) this.slices.delete(key);
    this.rebuild(key);
  }

  /** Replace everything (a snapshot loaded at start, or the informers' first lists superseding it). */
  replaceAll(services: readonly Service[], slices: readonly EndpointSlice[]): void {
    this.services.clear();
    this.slices.clear();
    this.records.clear();
    this.reverse.clear();
    for (const s of slices) {
      const key = sliceOwner(s);
      if (!key) continue;
      let m = this.slices.get(key);
      if (!m) this.slices.set(key, (m = new Map()));
      m.set(s.metadata.name, s);
    }
    for (const svc of services) this.putService(svc);
  }

  /** The Service NAME in NAMESPACE, if known. */
  service(namespace: string, name: string): ServiceRecord | undefined {
    return this.records.get(keyOf(namespace, name));
  }

  /** Names (relative to the cluster domain, e.g. web.default.svc) an IP is known by. */
  namesOf(ip: string): string[] {
    return [...(this.reverse.get(ip)?.values() ?? [])];
  }

  /** How many Services are known. */
  get size(): number { return this.records.size; }

  /** Everything as received, to save and load a snapshot. */
  snapshot(): { services: Service[]; slices: EndpointSlice[] } {
    return { services: [...this.services.values()], slices: [...this.slices.values()].flatMap((m) => [...m.values()]) };
  }

  private rebuild(key: string): void {
    const old = this.records.get(key);
    if (old) this.unindex(key, old);
    const svc = this.services.get(key);
    if (!svc) { this.records.delete(key); return; }
    const rec = toRecord(svc, [...(this.slices.get(key)?.values() ?? [])]);
    this.records.set(key, rec);
    this.index(key, rec);
  }

  private index(key: string, rec: ServiceRecord): void {
    const base = `${rec.name}.${rec.namespace}.svc`;
    if (rec.clusterIP) this.addReverse(rec.clusterIP, key, base);
    for (const e of rec.endpoints) this.addReverse(e.ip, key, `${e.label}.${base}`);
  }

  private unindex(key: string, rec: ServiceRecord): void {
    for (const ip of [rec.clusterIP, ...rec.endpoints.map((e) => e.ip)]) {
      const m = this.reverse.get(ip);
      if (!m) continue;
      m.delete(key);
      if (m.size === 0) this.reverse.delete(ip);
    }
  }

  private addReverse(ip: string, key: string, name: string): void {
    let m = this.reverse.get(ip);
    if (!m) this.reverse.set(ip, (m = new Map()));
    if (!m.has(key)) m.set(key, name);
  }
}

const keyOf = (namespace: string | undefined, name: string): string => `${namespace ?? 'default'}/${name}`;

function sliceOwner(slice: Pick<EndpointSlice, 'metadata'>): string | undefined {
  const svc = slice.metadata.labels?.[serviceNameLabel];
  return svc ? keyOf(slice.metadata.namespace, svc) : undefined;
}

/** An endpoint counts when ready; Kubernetes reads an absent `ready` as ready. */
const isReady = (ready: boolean | undefined): boolean => ready !== false;

function toRecord(svc: Service, slices: EndpointSlice[]): ServiceRecord {
  const spec = svc.spec;
  const type = spec.type ?? 'ClusterIP';
  const headless = type !== 'ExternalName' && isHeadless(svc);
  const ports = new Map<string, { port: number; protocol: string }>();
  for (const p of spec.ports ?? []) {
    if (p.name) ports.set(p.name.toLowerCase(), { port: p.port, protocol: (p.protocol ?? 'TCP').toLowerCase() });
  }
  const endpoints: EndpointRecord[] = [];
  const seen = new Set<string>();
  for (const slice of slices) {
    if (slice.addressType !== 'IPv4') continue; // no AAAA here: pods have IPv4 addresses only
    const slicePorts = new Map<string, { port: number; protocol: string }>();
    for (const p of slice.ports ?? []) {
      if (p.name && p.port !== undefined) slicePorts.set(p.name.toLowerCase(), { port: p.port, protocol: (p.protocol ?? 'TCP').toLowerCase() });
    }
    for (const e of slice.endpoints) {
      if (!spec.publishNotReadyAddresses && !isReady(e.conditions?.ready)) continue;
      for (const ip of e.addresses) {
        if (!isIPv4(ip) || seen.has(ip)) continue;
        seen.add(ip);
        const label = e.hostname && isLabel(e.hostname) ? e.hostname.toLowerCase() : ip.replaceAll('.', '-');
        endpoints.push({ ip, label, ports: slicePorts });
      }
    }
  }
  const clusterIP = type !== 'ExternalName' && !headless && spec.clusterIP && isIPv4(spec.clusterIP) ? spec.clusterIP : '';
  return {
    namespace: svc.metadata.namespace ?? 'default',
    name: svc.metadata.name,
    clusterIP,
    headless,
    ...(type === 'ExternalName' && spec.externalName ? { externalName: spec.externalName.replace(/\.$/, '').toLowerCase() } : {}),
    ports,
    endpoints,
  };
}

/** True for a dotted-quad IPv4 address. */
export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

/** True for one DNS label (RFC 1123). */
export function isLabel(s: string): boolean {
  return /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(s);
}
