import { BlockList, isIP } from 'node:net';

/** 4 or 6 for a plain IP address (no zone, prefix, spaces or line breaks), 0 for anything else. */
export function ipFamily(text: string): 0 | 4 | 6 {
  if (text.includes('%')) return 0; // an IPv6 zone index names an interface of one host, never a pod
  const family = isIP(text);
  return family === 4 || family === 6 ? family : 0;
}

/** undefined when text is a plain IP address, otherwise what is wrong with it. */
export function checkIP(text: string): string | undefined {
  return ipFamily(text) === 0 ? `must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff), got ${JSON.stringify(text)}` : undefined;
}

/** A parsed "ADDRESS/PREFIX" network. */
export interface IpNet { address: string; prefix: number; family: 4 | 6 }

/** Parse "10.88.0.0/16" or "fd00::/64"; undefined when it is not CIDR notation. */
export function parseIpNet(cidr: string): IpNet | undefined {
  const slash = cidr.indexOf('/');
  if (slash < 0) return undefined;
  const address = cidr.slice(0, slash);
  const bits = cidr.slice(slash + 1);
  const family = ipFamily(address);
  if (family === 0 || !/^[0-9]{1,3}$/.test(bits)) return undefined;
  const prefix = Number(bits);
  return prefix <= (family === 4 ? 32 : 128) ? { address, prefix, family } : undefined;
}

/** Whether ip lies inside the network (false for another family or a malformed address). */
export function netContains(net: IpNet, ip: string): boolean {
  const family = ipFamily(ip);
  if (family !== net.family) return false;
  const list = new BlockList();
  list.addSubnet(net.address, net.prefix, family === 4 ? 'ipv4' : 'ipv6');
  return list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}
