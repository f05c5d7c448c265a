/** The Network kind's rules: IPv4 subnet, gateway and range inside it, each driver's required options, spec fixed. */
import type { FieldCause } from '../errors.js';
import { NetworkSchema, type Network } from '../schema/network.js';
import { netContains, parseIpNet } from '../ip.js';
import { networkModule } from './modules/lantern.js';
import { withRules } from './with-rules.js';
import type { KindInfo } from './kind.js';

const IFACE = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,14}$/;

/** What is wrong with a Network's addresses and driver options (empty when nothing). */
export function checkNetworkSpec(n: Network): FieldCause[] {
  const s = n.spec;
  const out: FieldCause[] = [];
  const subnet = parseIpNet(s.subnet);
  if (!subnet || subnet.family !== 4 || subnet.prefix > 30 || subnet.prefix < 8) {
    out.push({ field: 'spec.subnet', message: `must be an IPv4 CIDR between /8 and /30 (e.g. 172.30.0.0/24), got ${JSON.stringify(s.subnet)}` });
  }
  if (subnet && s.gateway !== undefined && !netContains(subnet, s.gateway)) {
    out.push({ field: 'spec.gateway', message: `${s.gateway} must be an address inside the subnet ${s.subnet}` });
  }
  if (s.ipRange !== undefined) {
    const range = parseIpNet(s.ipRange);
    if (!range || range.family !== 4 || (subnet && (range.prefix < subnet.prefix || !netContains(subnet, range.address)))) {
      out.push({ field: 'spec.ipRange', message: `must be an IPv4 CIDR inside the subnet ${s.subnet} (e.g. the subnet's upper half), got ${JSON.stringify(s.ipRange)}` });
    }
  }
  const needs = (field: 'parent' | 'physicalInterface', why: string): void => {
    const v = s[field];
    if (v === undefined) out.push({ field: `spec.${field}`, message: `is required for the ${s.driver} driver: ${why}` });
    else if (!IFACE.test(v)) out.push({ field: `spec.${field}`, message: `must be a network interface name (1-15 characters), got ${JSON.stringify(v)}` });
  };
  const refuse = (field: 'parent' | 'physicalInterface' | 'vlan' | 'numVFs'): void => {
    if (s[field] !== undefined) out.push({ field: `spec.${field}`, message: `is not used by the ${s.driver} driver: leave it out` });
  };
  switch (s.driver) {
    case 'bridge': refuse('parent'); refuse('vlan'); refuse('physicalInterface'); refuse('numVFs'); break;
    case 'macvlan': case 'ipvlan': needs('parent', 'the host interface the network hangs off (--parent eth0)'); refuse('physicalInterface'); refuse('numVFs'); break;
    case 'host-device': needs('parent', 'the host device moved into the pod (--parent eth1)'); refuse('vlan'); refuse('physicalInterface'); refuse('numVFs'); break;
    case 'sriov': needs('physicalInterface', 'the physical function whose VFs pods get (--physical-interface enp6s0f0)'); refuse('parent'); break;
  }
  return out;
}

/** The Network kind (lantern.dev/v1, cluster-scoped). */
export const networkKind: KindInfo<Network> = withRules(networkModule, {
  schema: NetworkSchema,
  check: checkNetworkSpec,
  validateUpdate(oldObj, newObj) {
    return JSON.stringify(oldObj.spec) === JSON.stringify(newObj.spec) ? [] : [{ field: 'spec', message: 'field is immutable: remove the network (lcctl network rm) and create it again' }];
  },
});
