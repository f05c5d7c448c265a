/**
 * The `networks` registry hook: a user-defined Network cannot be deleted while a pod is on it, as
 * Docker's `network rm` refuses a network with active endpoints (Kubernetes has no such check for
 * its network-attachment objects; here a Network is Docker's, and the agent needs it to attach pods
 * that are still coming up). Pods being deleted do not count: their agent detaches from its records.
 * On create (and a subnet change) it refuses a subnet that overlaps another Network's or the
 * server's own ranges (--cluster-cidr, --service-cidr), as dockerd refuses overlapping pools: lcctl
 * checks first, but any client may write a Network, and two creates may race.
 */
import type { ApiObject } from '../../api/meta.js';
import { ApiError, invalid } from '../../api/errors.js';
import { parseIpNet } from '../../api/ip.js';
import type { Network } from '../../api/schema/network.js';
import type { Pod } from '../../api/pod.js';
import { podAttachments } from '../../api/user-networks.js';
import { emptyReservation, type RegistryHook, type Reservation } from '../registry-hooks.js';

/** How many users a refusal names before "and N more". */
const NAMED = 5;

/** A range the server uses itself, that no Network may overlap. */
export interface ReservedRange { cidr: string; what: string }

/** Refuses deleting a Network that live pods are on, and a Network whose subnet overlaps another range. */
export class NetworkGuard implements RegistryHook {
  /** Network name -> subnet: the stored ones and those being written (so two racing creates cannot both pass). */
  private readonly subnets = new Map<string, string>();
  private loading: Promise<void> | undefined;

  /** networks: the stored Networks (read once, then followed through the writes); reserved: the server's ranges. */
  constructor(
    private readonly pods: () => Promise<readonly Pod[]>,
    private readonly networks: () => Promise<readonly Network[]> = async () => [],
    private readonly reserved: readonly ReservedRange[] = [],
  ) {}

  ready(): Promise<void> {
    this.loading ??= this.networks().then((all) => {
      for (const n of all) if (!this.subnets.has(n.metadata.name)) this.subnets.set(n.metadata.name, n.spec.subnet);
    }).catch((e: unknown) => { this.loading = undefined; throw e; });
    return this.loading;
  }

  create(obj: ApiObject): Reservation {
    const n = obj as Network;
    this.check(n);
    const name = n.metadata.name;
    this.subnets.set(name, n.spec.subnet);
    return { commit: () => undefined, abort: () => { this.subnets.delete(name); } };
  }

  update(stored: ApiObject, next: ApiObject): Reservation {
    const old = (stored as Network).spec.subnet;
    const n = next as Network;
    if (n.spec.subnet === old) return emptyReservation;
    this.check(n);
    this.subnets.set(n.metadata.name, n.spec.subnet);
    return { commit: () => undefined, abort: () => { this.subnets.set(n.metadata.name, old); } };
  }

  deleted(obj: ApiObject): void { this.subnets.delete(obj.metadata.name); }

  /** Throws a field-path error naming what the subnet overlaps. */
  private check(n: Network): void {
    const mine = boundsOf(n.spec.subnet);
    if (!mine) return; // not an IPv4 CIDR: the kind's validation has its say
    const hit = (cidr: string): boolean => { const b = boundsOf(cidr); return b !== undefined && mine[0] <= b[1] && b[0] <= mine[1]; };
    const name = n.metadata.name;
    const other = [...this.subnets].find(([k, cidr]) => k !== name && hit(cidr));
    const range = other ? undefined : this.reserved.find((r) => hit(r.cidr));
    const what = other ? `network ${other[0]} (${other[1]})` : range ? `${range.what} ${range.cidr}` : undefined;
    if (what === undefined) return;
    throw invalid('Network', name, [{ field: 'spec.subnet', message: `${n.spec.subnet} overlaps ${what}; pick another subnet (lcctl network create --subnet)` }]);
  }

  async beforeDelete(obj: ApiObject): Promise<void> {
    const name = obj.metadata.name;
    const users = (await this.pods()).filter((p) => {
      if (p.metadata.deletionTimestamp !== undefined) return false;
      const r = podAttachments(p);
      return r.ok && r.attachments.some((a) => a.network === name);
    }).map((p) => `${p.metadata.namespace ?? 'default'}/${p.metadata.name}`);
    if (users.length === 0) return;
    const listed = users.slice(0, NAMED).join(', ') + (users.length > NAMED ? ` and ${users.length - NAMED} more` : '');
    throw new ApiError('Conflict', `network ${name} has active endpoints (${listed}): remove those containers or disconnect them (lcctl network disconnect ${name} CONTAINER) first`);
  }
}

/** [first, last] of an IPv4 CIDR as numbers; undefined when it is not one. */
function boundsOf(cidr: string): [number, number] | undefined {
  const net = parseIpNet(cidr);
  if (!net || net.family !== 4) return undefined;
  const parts = net.address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p > 255)) return undefined;
  const size = 2 ** (32 - net.prefix);
  const first = Math.floor(parts.reduce((a, p) => a * 256 + p, 0) / size) * size;
  return [first, first + size - 1];
}
