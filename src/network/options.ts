import { resolve } from 'node:path';
import { ApiError } from '../api/errors.js';
import { parseCidr } from './cidr.js';

/** How a CniNetwork is set up; distinct values let several daemons (or tests) share one host. */
export interface CniNetworkOptions {
  /** Where pod records and host-local IPAM state live; must survive agent restarts. */
  stateDir: string;
  /** CNI network name; also names the plugins' iptables chains and comments. Default 'lantern'. */
  networkName?: string;
  /** Linux bridge the pods attach to (at most 15 characters). Default 'lantern0'. */
  bridge?: string;
  /** IPv4 pod subnet; the bridge takes the first address as gateway. Default '10.88.0.0/16'. */
  subnet?: string;
  /** Directories searched for plugin executables, in order. Default ['/usr/lib/cni', '/opt/cni/bin']. */
  pluginDirs?: string[];
  /** Prefix of the network namespace names under /var/run/netns. Default 'lantern-'. */
  netnsPrefix?: string;
  /** Pods' interface MTU (the bridge plugin's mtu); 0: the kernel's default. Lowered for a VXLAN overlay. */
  mtu?: number;
  /** The whole cluster's pod range: traffic to it keeps its source address (no masquerade). Default: subnet. */
  clusterCidr?: string;
}

/** Options with defaults applied and checked. */
export type ResolvedOptions = Required<CniNetworkOptions>;

/** Applies defaults and rejects values the plugins or the kernel would refuse later, less clearly. */
export function resolveOptions(o: CniNetworkOptions): ResolvedOptions {
  const r: ResolvedOptions = {
    stateDir: o.stateDir ? resolve(o.stateDir) : '',
    networkName: o.networkName ?? 'lantern',
    bridge: o.bridge ?? 'lantern0',
    subnet: o.subnet ?? '10.88.0.0/16',
    pluginDirs: o.pluginDirs ?? ['/usr/lib/cni', '/opt/cni/bin'],
    netnsPrefix: o.netnsPrefix ?? 'lantern-',
    mtu: o.mtu ?? 0,
    clusterCidr: o.clusterCidr ?? o.subnet ?? '10.88.0.0/16',
  };
  const bad = (field: string, message: string): never => {
    throw new ApiError('Invalid', `network option ${field} ${message}`, { causes: [{ field, message }] });
  };
  if (!r.stateDir) bad('stateDir', 'is required (a directory that survives agent restarts)');
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(r.networkName)) {
    bad('networkName', `"${r.networkName}" must start with a letter or digit and contain only letters, digits, "_", "." and "-"`);
  }
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(r.bridge)) {
    bad('bridge', `"${r.bridge}" must be 1-15 letters, digits, "_", "." or "-" (Linux interface name limit)`);
  }
  const net = parseCidr(r.subnet);
  if (!net) bad('subnet', `"${r.subnet}" is not an IPv4 CIDR such as 10.88.0.0/16`);
  else if (net.prefix > 30) bad('subnet', `"${r.subnet}" is too small: use /30 or larger (gateway plus at least one pod)`);
  if (!Number.isInteger(r.mtu) || (r.mtu !== 0 && (r.mtu < 576 || r.mtu > 65535))) bad('mtu', `${r.mtu} must be 0 (default) or between 576 and 65535`);
  if (!parseCidr(r.clusterCidr)) bad('clusterCidr', `"${r.clusterCidr}" is not an IPv4 CIDR such as 10.42.0.0/16`);
  if (r.pluginDirs.length === 0) bad('pluginDirs', 'must name at least one directory');
  if (!/^[A-Za-z0-9_.-]{0,32}$/.test(r.netnsPrefix)) {
    bad('netnsPrefix', `"${r.netnsPrefix}" must be at most 32 letters, digits, "_", "." or "-"`);
  }
  return r;
}
