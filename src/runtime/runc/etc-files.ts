import { readFile, writeFile } from 'node:fs/promises';
import { hostname as hostHostname } from 'node:os';
import { join } from 'node:path';

/** What goes into the generated /etc/hosts, /etc/hostname and /etc/resolv.conf. */
export interface EtcOptions {
  hostname: string;
  hostNetwork: boolean;
  extraHosts?: Array<{ ip: string; names: string[] }>;
  dns?: { nameservers?: string[]; searches?: string[]; options?: string[] };
}

/** Paths of the three files, bind-mounted over the container's /etc entries. */
export interface EtcFiles { hosts: string; hostname: string; resolvConf: string }

/** Docker's fallback when the host only has loopback resolvers, which a container cannot reach. */
const FALLBACK_NAMESERVERS = ['8.8.8.8', '8.8.4.4'];

/** Keeps the host's resolv.conf but drops loopback nameservers (systemd-resolved, dnsmasq) in a netns. */
export function containerResolvConf(hostText: string, hostNetwork: boolean, dns?: EtcOptions['dns']): string {
  const keep = (line: string): boolean => {
    const ns = /^\s*nameserver\s+(\S+)/.exec(line);
    if (ns) return !dns?.nameservers?.length && (hostNetwork || !isLoopback(ns[1] ?? ''));
    if (/^\s*(search|domain)\s/.test(line)) return !dns?.searches?.length;
    if (/^\s*options\s/.test(line)) return !dns?.options?.length;
    return true;
  };
  const out = hostText.split('\n').filter((l) => l.trim() !== '' && keep(l));
  if (dns?.searches?.length) out.push(`search ${dns.searches.join(' ')}`);
  if (dns?.options?.length) out.push(`options ${dns.options.join(' ')}`);
  for (const ns of dns?.nameservers ?? []) out.push(`nameserver ${ns}`);
  if (!out.some((l) => /^\s*nameserver\s/.test(l))) out.push(...FALLBACK_NAMESERVERS.map((n) => `nameserver ${n}`));
  return out.join('\n') + '\n';
}

function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1';
}

/** /etc/hosts: loopback names, the hostname and any extra entries. */
export function containerHosts(opts: EtcOptions): string {
  const lines = [
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'ff00::0\tip6-mcastprefix',
    'ff02::1\tip6-allnodes',
    'ff02::2\tip6-allrouters',
  ];
  for (const e of opts.extraHosts ?? []) lines.push(`${e.ip}\t${e.names.join(' ')}`);
  // Only when no entry names it already, so the pod IP given in extraHosts wins.
  if (!(opts.extraHosts ?? []).some((e) => e.names.includes(opts.hostname))) lines.push(`127.0.1.1\t${opts.hostname}`);
  return lines.join('\n') + '\n';
}

/** Writes the three files into dir and returns their paths. */
export async function writeEtcFiles(dir: string, opts: EtcOptions): Promise<EtcFiles> {
  const files: EtcFiles = {
    hosts: join(dir, 'hosts'), hostname: join(dir, 'hostname'), resolvConf: join(dir, 'resolv.conf'),
  };
  const hostResolv = await readFile('/etc/resolv.conf', 'utf8').catch(() => '');
  const hosts = opts.hostNetwork && !opts.extraHosts?.length
    ? await readFile('/etc/hosts', 'utf8').catch(() => containerHosts(opts))
    : containerHosts(opts);
  await writeFile(files.hosts, hosts);
  await writeFile(files.hostname, `${opts.hostname}\n`);
  await writeFile(files.resolvConf, containerResolvConf(hostResolv, opts.hostNetwork, opts.dns));
  return files;
}

/** The hostname a container gets when the config names none. */
export function defaultHostname(id: string, hostNetwork: boolean): string {
  return hostNetwork ? hostHostname() : id.slice(0, 12);
}
