/**
 * A node writing the status of a pod bound to it: the Pod kind's validation (every writer's rules:
 * IPs are IPs, states have their shapes, lengths are bounded), then what only a node is held to:
 * statuses only for the pod's own containers, and pod IPs inside the node's pod range when the
 * Node records one (spec.podCIDR, set by an admin).
 */
import { invalid, type FieldCause } from '../../api/errors.js';
import type { Pod } from '../../api/pod.js';
import type { Node } from '../../api/node.js';
import { podKind } from '../../api/kinds/pod.js';
import { netContains, parseIpNet } from '../../api/ip.js';
import type { ApiClient } from '../../client/types.js';
import { forbiddenFor } from './node-writes.js';
import { NetworkAnnotations } from '../../api/user-networks.js';
import type { Network } from '../../api/schema/network.js';

const hostNetwork = (pod: Pod): boolean => pod.spec.hostNetwork === true || pod.spec.networkMode === 'host';

/** Check a node's status write for a pod; throws Invalid (malformed) or Forbidden (not the node's to claim). */
export async function admitPodStatus(api: Pick<ApiClient, 'get'>, node: string, input: Pod): Promise<void> {
  const stored = await api.get<Pod>('pods', input.metadata.name, input.metadata.namespace);
  const status = (input as { status?: unknown }).status as Pod['status'];
  const causes = podKind.validate({ ...stored, status });
  if (causes.length > 0) throw invalid('Pod', stored.metadata.name, causes);
  const out: FieldCause[] = [];
  const names = new Set(stored.spec.containers.map((c) => c.name));
  status?.containerStatuses?.forEach((cs, i) => {
    if (!names.has(cs.name)) out.push({ field: `status.containerStatuses[${i}].name`, message: `the pod has no container ${JSON.stringify(cs.name)}: a node reports only the containers of the pod's spec` });
  });
  const initNames = new Set((stored.spec.initContainers ?? []).map((c) => c.name));
  status?.initContainerStatuses?.forEach((cs, i) => {
    if (!initNames.has(cs.name)) out.push({ field: `status.initContainerStatuses[${i}].name`, message: `the pod has no init container ${JSON.stringify(cs.name)}: a node reports only the init containers of the pod's spec` });
  });
  if (!hostNetwork(stored) && (status?.podIP !== undefined || status?.podIPs !== undefined)) {
    // A pod whose primary network is a user network (lcctl run --network NAME) has its address from that network's subnet.
    const userNet = stored.metadata.annotations?.[NetworkAnnotations.primary];
    const cidr = userNet !== undefined
      ? (await api.get<Network>('networks', userNet).catch(() => undefined))?.spec.subnet ?? '0.0.0.0/32'
      : (await api.get<Node>('nodes', node)).spec?.podCIDR;
    const net = cidr === undefined ? undefined : parseIpNet(cidr);
    const check = (ip: string, field: string): void => {
      if (net && !netContains(net, ip)) out.push({ field, message: userNet !== undefined ? `${ip} is outside the subnet ${cidr ?? ''} of the pod's network ${userNet}` : `${ip} is outside this node's pod range ${cidr ?? ''} (spec.podCIDR)` });
    };
    if (status?.podIP !== undefined) check(status.podIP, 'status.podIP');
    status?.podIPs?.forEach((p, i) => check(p.ip, `status.podIPs[${i}].ip`));
  }
  if (out.length > 0) throw forbiddenFor(node, 'Pod', stored.metadata.name, out);
}
