/**
 * Cluster IPs and node ports of Services, allocated by the API server as kube-apiserver's Service
 * registry does: on create (a requested value honoured when free and in range), carried over and
 * kept immutable on update, freed on delete; the in-memory view is rebuilt from the stored Services
 * on first use, so a restart loses nothing. One allocator per API server: allocation is synchronous,
 * so two concurrent creates never get the same IP or port.
 */
import type { ApiObject } from '../../api/meta.js';
import { invalid, type FieldCause } from '../../api/errors.js';
import { headlessClusterIP, type Service } from '../../api/schema/service.js';
import { ipFamily } from '../../api/ip.js';
import type { RegistryHook, Reservation } from '../registry-hooks.js';
import { RangeAllocator, intToIpv4, ipv4ToInt } from './range-allocator.js';
import { serviceIpBounds, type ServiceRanges } from './ranges.js';

/** What one Service holds. */
interface Held { ips: number[]; ports: number[] }

const none: Held = { ips: [], ports: [] };

/** The IP of the `default/kubernetes` Service: the first address of the range. */
export function kubernetesServiceIP(ranges: ServiceRanges): string {
  return intToIpv4(serviceIpBounds(ranges.serviceCidr).first);
}

/** Allocates ClusterIPs and NodePorts for the `services` resource (a RegistryHook of ApiService). */
export class ServiceAllocator implements RegistryHook {
  private readonly ips: RangeAllocator;
  private readonly ports: RangeAllocator;
  private loading: Promise<void> | undefined;

  constructor(private readonly ranges: ServiceRanges, private readonly listServices: () => Promise<Service[]>) {
    const b = serviceIpBounds(ranges.serviceCidr);
    this.ips = new RangeAllocator(b.first, b.last, new Set([b.first])); // .1 is the kubernetes Service's
    this.ports = new RangeAllocator(ranges.nodePorts.first, ranges.nodePorts.last);
  }

  /** How many cluster IPs and node ports are held (for tests and metrics). */
  get usage(): { ips: number; ports: number } { return { ips: this.ips.size, ports: this.ports.size }; }

  ready(): Promise<void> {
    this.loading ??= this.rebuild().catch((e: unknown) => { this.loading = undefined; throw e; });
    return this.loading;
  }

  private async rebuild(): Promise<void> {
    for (const svc of await this.listServices()) {
      const h = held(svc);
      // A stored Service outside today's ranges (the flags changed) keeps what it has; nothing else may take it.
      for (const ip of h.ips) this.ips.take(ip);
      for (const p of h.ports) this.ports.take(p);
    }
  }

  create(obj: ApiObject): Reservation {
    return this.allocate(obj as Service, undefined);
  }

  update(stored: ApiObject, next: ApiObject): Reservation {
    return this.allocate(next as Service, stored as Service);
  }

  deleted(obj: ApiObject): void {
    const h = held(obj as Service);
    for (const ip of h.ips) this.ips.release(ip);
    for (const p of h.ports) this.ports.release(p);
  }

  /** Fill in svc's cluster IP and node ports (from old where it had them) and reserve the new ones. */
  private allocate(svc: Service, old: Service | undefined): Reservation {
    const before = old ? held(old) : none;
    const took: Held = { ips: [], ports: [] };
    const causes: FieldCause[] = [];
    const give = (): void => { for (const ip of took.ips) this.ips.release(ip); for (const p of took.ports) this.ports.release(p); };
    try {
      this.clusterIP(svc, old, before, took, causes);
      this.nodePorts(svc, old, before, took, causes);
    } catch (e) { give(); throw e; }
    if (causes.length > 0) { give(); throw invalid('Service', svc.metadata.name, causes); }
    const after = held(svc);
    return {
      commit: () => {
        for (const ip of before.ips) if (!after.ips.includes(ip)) this.ips.release(ip);
        for (const p of before.ports) if (!after.ports.includes(p)) this.ports.release(p);
      },
      abort: give,
    };
  }

  private clusterIP(svc: Service, old: Service | undefined, before: Held, took: Held, causes: FieldCause[]): void {
    const s = svc.spec;
    if (s.type === 'ExternalName') { delete s.clusterIP; delete s.clusterIPs; return; }
    const wasExternal = old === undefined || old.spec.type === 'ExternalName';
    if (!wasExternal) {
      // As kube-apiserver: an update that leaves the IP out keeps the allocated one; a change is refused.
      const oldIP = old.spec.clusterIP ?? '';
      if (s.clusterIP === undefined || s.clusterIP === '') { s.clusterIP = oldIP; s.clusterIPs = [...(old.spec.clusterIPs ?? [oldIP])]; }
      if (s.clusterIP !== oldIP) causes.push({ field: 'spec.clusterIP', message: `Invalid value: ${JSON.stringify(s.clusterIP)}: field is immutable (it is ${oldIP}; delete and create the Service to change it)` });
      s.clusterIPs = [s.clusterIP];
      return;
    }
    const wanted = s.clusterIP || s.clusterIPs?.[0] || '';
    if (wanted === headlessClusterIP) { s.clusterIP = headlessClusterIP; s.clusterIPs = [headlessClusterIP]; return; }
    let ip: number | undefined;
    if (wanted === '') {
      ip = this.ips.next();
      if (ip === undefined) causes.push({ field: 'spec.clusterIP', message: `Internal error: failed to allocate a cluster IP: the range ${this.ranges.serviceCidr} is full (delete Services or start the server with a larger --service-cidr)` });
    } else {
      const n = ipFamily(wanted) === 4 ? ipv4ToInt(wanted) : NaN;
      if (!this.ips.contains(n)) {
        causes.push({ field: 'spec.clusterIP', message: `Invalid value: ${JSON.stringify(wanted)}: provided IP is not in the valid range. The range of valid IPs is ${this.ranges.serviceCidr} (leave clusterIP empty to get one)` });
      } else if (this.ips.take(n)) ip = n;
      else causes.push({ field: 'spec.clusterIP', message: `Invalid value: ${JSON.stringify(wanted)}: provided IP is already allocated (leave clusterIP empty to get a free one)` });
    }
    if (ip === undefined) return;
    took.ips.push(ip);
    s.clusterIP = intToIpv4(ip);
    s.clusterIPs = [s.clusterIP];
  }

  private nodePorts(svc: Service, old: Service | undefined, before: Held, took: Held, causes: FieldCause[]): void {
    const ports = svc.spec.ports ?? [];
    if (svc.spec.type !== 'NodePort') return;
    const oldByPort = new Map((old?.spec.type === 'NodePort' ? old.spec.ports ?? [] : []).filter((p) => p.nodePort).map((p) => [`${p.protocol ?? 'TCP'}/${p.port}`, p.nodePort!]));
    const mine = new Set<number>();
    const dup = new Set<string>();
    // Requested ports first, so that one picked for another port of this Service cannot take a requested one.
    ports.forEach((p, i) => {
      if (!p.nodePort) { const kept = oldByPort.get(`${p.protocol ?? 'TCP'}/${p.port}`); if (kept !== undefined) p.nodePort = kept; }
      if (!p.nodePort) return;
      const field = `spec.ports[${i}].nodePort`;
      const key = `${p.protocol ?? 'TCP'}/${p.nodePort}`;
      if (dup.has(key)) { causes.push({ field, message: `Duplicate value: node port ${p.nodePort} is given to two ${p.protocol ?? 'TCP'} ports of this Service` }); return; }
      dup.add(key);
      if (mine.has(p.nodePort) || before.ports.includes(p.nodePort)) { mine.add(p.nodePort); return; }
      if (!this.ports.contains(p.nodePort)) {
        causes.push({ field, message: `Invalid value: ${p.nodePort}: provided port is not in the valid range. The range of valid ports is ${this.ports.first}-${this.ports.last} (leave nodePort out to get one)` });
      } else if (!this.ports.take(p.nodePort)) {
        causes.push({ field, message: `Invalid value: ${p.nodePort}: provided port is already allocated (another Service uses it; leave nodePort out to get a free one)` });
      } else { took.ports.push(p.nodePort); mine.add(p.nodePort); }
    });
    ports.forEach((p, i) => {
      if (p.nodePort) return;
      const n = this.ports.next();
      if (n === undefined) { causes.push({ field: `spec.ports[${i}].nodePort`, message: `Internal error: failed to allocate a node port: the range ${this.ports.first}-${this.ports.last} is full (delete NodePort Services or start the server with a larger --service-node-port-range)` }); return; }
      took.ports.push(n);
      p.nodePort = n;
    });
  }
}

/** The cluster IP and node ports a stored Service holds. */
function held(svc: Service): Held {
  const ip = svc.spec.clusterIP;
  const ips = ip && ip !== headlessClusterIP && ipFamily(ip) === 4 && svc.spec.type !== 'ExternalName' ? [ipv4ToInt(ip)] : [];
  const ports = svc.spec.type === 'NodePort' ? (svc.spec.ports ?? []).map((p) => p.nodePort ?? 0).filter((p) => p > 0) : [];
  return { ips, ports: [...new Set(ports)] };
}
