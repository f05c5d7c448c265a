/**
 * `lcctl run --network NAME [--ip A] [--network-alias A] [--network-param k=v]` for a user-defined
 * network: the pod's annotations (the agent attaches it as eth0 instead of the default network), and,
 * for an sriov network, a request of one lantern.dev/sriov-<PF> so the scheduler picks a node with a free VF.
 */
import type { Pod } from '../../api/pod.js';
import type { Network } from '../../api/schema/network.js';
import { NetworkAnnotations, sriovResourceName } from '../../api/user-networks.js';
import type { Parsed } from '../args.js';
import { UsageError } from '../errors.js';

/** Docker's built-in network modes; anything else names a user network. */
export const BUILTIN_MODES = new Set(['bridge', 'host', 'none', 'default']);

/** Put the pod on the named user network (annotations only; no request to the server). */
export function annotateUserNetwork(pod: Pod, network: string, p: Parsed): void {
  const ann = (pod.metadata.annotations ??= {});
  ann[NetworkAnnotations.primary] = network;
  const ip = p.str('ip');
  if (ip !== undefined) {
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) throw new UsageError(`invalid argument "${ip}" for "--ip" flag: give an IPv4 address`);
    ann[NetworkAnnotations.ip] = ip;
  }
  const params = p.list('network-param');
  for (const kv of params) if (!/^[A-Za-z0-9_.-]+=.*$/.test(kv)) throw new UsageError(`invalid argument "${kv}" for "--network-param" flag: give KEY=VALUE (sriov_vf=2)`);
  if (params.length > 0) ann[NetworkAnnotations.params] = params.join(',');
  const aliases = p.list('network-alias');
  if (aliases.length > 0) ann[NetworkAnnotations.aliases] = JSON.stringify({ [network]: aliases });
}

/** An sriov network's pod asks for one VF of its PF (requests = limits, an extended resource). */
export function requestVf(pod: Pod, network: Network): void {
  if (network.spec.driver !== 'sriov' || network.spec.physicalInterface === undefined) return;
  const c = pod.spec.containers[0];
  if (!c) return;
  const r = sriovResourceName(network.spec.physicalInterface);
  c.resources = { ...c.resources, limits: { ...c.resources?.limits, [r]: '1' }, requests: { ...c.resources?.requests, [r]: '1' } };
}
