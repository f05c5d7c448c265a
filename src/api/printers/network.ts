/** `get networks` (NAME DRIVER SUBNET GATEWAY AGE [PARENT VLAN]). */
import type { Network } from '../schema/network.js';
import { ageColumn, column, nameColumn, type TableDefinition } from './table.js';

/** The first address of an IPv4 subnet, the default gateway. */
export function defaultGateway(subnet: string): string {
  const [ip = '', bits = '32'] = subnet.split('/');
  const n = ip.split('.').reduce((a, p) => a * 256 + Number(p), 0);
  const size = 2 ** (32 - Number(bits));
  const first = Math.floor(n / size) * size + 1;
  return [24, 16, 8, 0].map((s) => Math.floor(first / 2 ** s) % 256).join('.');
}

/** The network table; -o wide adds the parent interface and the VLAN. */
export const networkTable: TableDefinition<Network> = {
  columns: [
    nameColumn,
    column<Network>('Driver', (n) => n.spec.driver),
    column<Network>('Subnet', (n) => n.spec.subnet),
    column<Network>('Gateway', (n) => n.spec.gateway ?? defaultGateway(n.spec.subnet)),
    ageColumn,
    column<Network>('Parent', (n) => n.spec.parent ?? n.spec.physicalInterface ?? '<none>', 1),
    column<Network>('VLAN', (n) => (n.spec.vlan === undefined ? '<none>' : String(n.spec.vlan)), 1),
  ],
};
