import { isIPv4 } from 'node:net';

/** An IPv4 network as 32-bit unsigned bounds. */
export interface Ipv4Net {
  /** First address (the network address), as an unsigned 32-bit number. */
  first: number;
  /** Last address (broadcast), as an unsigned 32-bit number. */
  last: number;
  prefix: number;
}

/** Dotted quad to unsigned 32-bit number. */
export function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

/** Parses "a.b.c.d/n" (or a bare address as /32); undefined when it is not IPv4 CIDR. */
export function parseCidr(cidr: string): Ipv4Net | undefined {
  const [ip, bits, extra] = cidr.split('/');
  if (ip === undefined || extra !== undefined || !isIPv4(ip)) return undefined;
  const prefix = bits === undefined ? 32 : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32 || (bits !== undefined && !/^\d+$/.test(bits))) return undefined;
  const size = 2 ** (32 - prefix);
  const first = Math.floor(ipToInt(ip) / size) * size;
  return { first, last: first + size - 1, prefix };
}

/** Whether two networks share any address. */
export function overlaps(a: Ipv4Net, b: Ipv4Net): boolean {
  return a.first <= b.last && b.first <= a.last;
}
