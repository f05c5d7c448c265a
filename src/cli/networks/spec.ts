/** `lcctl network create` flags as a Network object, with the subnet checks that need the other networks. */
import type { Network, NetworkDriver } from '../../api/schema/network.js';
import { NETWORK_DRIVERS } from '../../api/schema/network.js';
import { UsageError } from '../errors.js';

/** Ranges Lantern uses itself: the default pod network, the cluster and service CIDRs. */
export const RESERVED_RANGES: ReadonlyArray<{ cidr: string; what: string }> = [
  { cidr: '10.88.0.0/16', what: 'the default pod network (--pod-subnet)' },
  { cidr: '10.42.0.0/16', what: 'the cluster pod range (--cluster-cidr)' },
  { cidr: '10.43.0.0/16', what: 'the service range (--service-cidr)' },
];

const toInt = (ip: string): number => ip.split('.').reduce((n, p) => n * 256 + Number(p), 0);

/** [first, last] of an IPv4 CIDR, undefined when it is not one. */
export function bounds(cidr: string): [number, number] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m || m.slice(1, 5).some((x) => Number(x) > 255) || Number(m[5]) > 32) return undefined;
  const size = 2 ** (32 - Number(m[5]));
  const first = Math.floor(toInt(cidr.split('/')[0] ?? '') / size) * size;
  return [first, first + size - 1];
}

/** What an IPv4 subnet overlaps among the networks and Lantern's own ranges, as a message; undefined when free. */
export function overlapOf(subnet: string, networks: readonly Network[]): string | undefined {
  const ours = bounds(subnet);
  if (!ours) return undefined;
  const hit = (cidr: string): boolean => { const b = bounds(cidr); return b !== undefined && ours[0] <= b[1] && b[0] <= ours[1]; };
  const net = networks.find((n) => hit(n.spec.subnet));
  if (net) return `subnet ${subnet} overlaps network ${net.metadata.name} (${net.spec.subnet}); pick another --subnet`;
  const r = RESERVED_RANGES.find((x) => hit(x.cidr));
  return r ? `subnet ${subnet} overlaps ${r.what} ${r.cidr}; pick another --subnet` : undefined;
}

/** Docker's default pool: the first free 172.(20-31).0.0/16, then 192.168.(100-199).0/24. */
export function pickSubnet(networks: readonly Network[]): string {
  const candidates = [...Array.from({ length: 12 }, (_, i) => `172.${20 + i}.0.0/16`), ...Array.from({ length: 100 }, (_, i) => `192.168.${100 + i}.0/24`)];
  const free = candidates.find((c) => overlapOf(c, networks) === undefined);
  if (!free) throw new UsageError('no free subnet left in the default pools: give one with --subnet');
  return free;
}

/** The flags of `network create`, read. */
export interface CreateFlags {
  driver?: string; subnet?: string; gateway?: string; ipRange?: string; parent?: string; vlan?: string;
  physicalInterface?: string; numVFs?: string; options: string[]; labels: string[];
}

/** The Network the flags describe (the subnet picked or checked against the others). */
export function networkFromFlags(name: string, f: CreateFlags, existing: readonly Network[]): Network {
  const driver = (f.driver ?? 'bridge') as NetworkDriver;
  if (!NETWORK_DRIVERS.includes(driver)) throw new UsageError(`invalid --driver "${f.driver ?? ''}": use one of ${NETWORK_DRIVERS.join(', ')}`);
  const options: Record<string, string> = {};
  for (const o of f.options) {
    const eq = o.indexOf('=');
    if (eq <= 0) throw new UsageError(`invalid -o "${o}": give a driver option as KEY=VALUE`);
    options[o.slice(0, eq)] = o.slice(eq + 1);
  }
  // Docker's macvlan takes its parent as -o parent=IFACE; both spellings work.
  const parent = f.parent ?? options.parent;
  const vlan = f.vlan ?? options.vlan;
  const pf = f.physicalInterface ?? options.physical_interface;
  const numVFs = f.numVFs ?? options.num_vfs;
  const int = (v: string | undefined, flag: string): number | undefined => {
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new UsageError(`invalid ${flag} "${v}": must be a whole number`);
    return Number(v);
  };
  if (f.subnet !== undefined && !bounds(f.subnet)) throw new UsageError(`invalid --subnet "${f.subnet}": give an IPv4 CIDR such as 172.30.0.0/24`);
  const subnet = f.subnet ?? pickSubnet(existing);
  const clash = overlapOf(subnet, existing.filter((n) => n.metadata.name !== name));
  if (clash) throw new UsageError(clash);
  const labels: Record<string, string> = {};
  for (const l of f.labels) { const eq = l.indexOf('='); labels[eq < 0 ? l : l.slice(0, eq)] = eq < 0 ? '' : l.slice(eq + 1); }
  return {
    apiVersion: 'lantern.dev/v1', kind: 'Network',
    metadata: { name, ...(f.labels.length > 0 ? { labels } : {}) },
    spec: {
      driver, subnet,
      ...(f.gateway !== undefined ? { gateway: f.gateway } : {}),
      ...(f.ipRange !== undefined ? { ipRange: f.ipRange } : {}),
      ...(parent !== undefined ? { parent } : {}),
      ...(vlan !== undefined ? { vlan: int(vlan, '--vlan') } : {}),
      ...(pf !== undefined ? { physicalInterface: pf } : {}),
      ...(numVFs !== undefined ? { numVFs: int(numVFs, '--num-vfs') } : {}),
      ...(Object.keys(options).length > 0 ? { options } : {}),
    },
  };
}
