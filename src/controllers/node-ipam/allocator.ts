/**
 * Node pod ranges: the cluster CIDR cut into equal blocks (kube-controller-manager's range allocator,
 * k3s: a /24 per node out of 10.42.0.0/16). Pure and in memory; the controller rebuilds it from the
 * stored Nodes at start, so two nodes never share a range, also after a restart.
 */

/** An IPv4 network as unsigned 32-bit bounds. */
interface Net { first: number; prefix: number }

const ipToInt = (ip: string): number => ip.split('.').reduce((n, p) => n * 256 + Number(p), 0);
const intToIp = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

/** Parses "a.b.c.d/n" (IPv4 only); undefined when malformed. The address is masked to the network. */
export function parseIpv4Cidr(cidr: string): Net | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) return undefined;
  const prefix = Number(m[5]);
  const size = 2 ** (32 - prefix);
  return { first: Math.floor(ipToInt(`${m[1]}.${m[2]}.${m[3]}.${m[4]}`) / size) * size, prefix };
}

/** Hands out blocks of /maskSize from a cluster range; remembers which are taken. */
export class CidrAllocator {
  private readonly net: Net;
  private readonly count: number;
  private readonly taken = new Set<number>();
  /** Where the next search starts: freed blocks are reused only after the others (as host-local does). */
  private next = 0;

  constructor(readonly clusterCidr: string, readonly maskSize: number) {
    const net = parseIpv4Cidr(clusterCidr);
    if (!net) throw new Error(`cluster CIDR ${JSON.stringify(clusterCidr)} is not an IPv4 CIDR such as 10.42.0.0/16`);
    if (!Number.isInteger(maskSize) || maskSize < net.prefix || maskSize > 30) {
      throw new Error(`node CIDR mask size ${maskSize} must be between the cluster prefix /${net.prefix} and /30`);
    }
    this.net = net;
    this.count = 2 ** (maskSize - net.prefix);
  }

  /** How many node ranges the cluster CIDR holds. */
  get capacity(): number { return this.count; }
  /** How many are taken. */
  get used(): number { return this.taken.size; }

  /** Take a free range; undefined when every range is taken. */
  allocate(): string | undefined {
    for (let i = 0; i < this.count; i++) {
      const idx = (this.next + i) % this.count;
      if (this.taken.has(idx)) continue;
      this.taken.add(idx);
      this.next = (idx + 1) % this.count;
      return this.cidrOf(idx);
    }
    return undefined;
  }

  /**
   * Mark a range a stored Node already has as taken. false when it is not one of this cluster's
   * ranges (another --cluster-cidr or mask size) or is already taken by someone else.
   */
  occupy(cidr: string): boolean {
    const idx = this.indexOf(cidr);
    if (idx === undefined || this.taken.has(idx)) return false;
    this.taken.add(idx);
    return true;
  }

  /** Give a range back (a deleted Node); unknown ranges are ignored. */
  release(cidr: string): void {
    const idx = this.indexOf(cidr);
    if (idx !== undefined) this.taken.delete(idx);
  }

  /** Whether the range is one of this allocator's blocks (right size, inside the cluster CIDR). */
  contains(cidr: string): boolean { return this.indexOf(cidr) !== undefined; }

  private cidrOf(idx: number): string {
    return `${intToIp(this.net.first + idx * 2 ** (32 - this.maskSize))}/${this.maskSize}`;
  }

  private indexOf(cidr: string): number | undefined {
    const n = parseIpv4Cidr(cidr);
    if (!n || n.prefix !== this.maskSize || cidr !== `${intToIp(n.first)}/${n.prefix}`) return undefined;
    const off = n.first - this.net.first;
    if (off < 0 || off >= this.count * 2 ** (32 - this.maskSize)) return undefined;
    return off / 2 ** (32 - this.maskSize);
  }
}
