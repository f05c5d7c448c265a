/** Which pods are on a network (by their annotations), for inspect, rm and prune. */
import type { Pod } from '../../api/pod.js';
import { podAttachments } from '../../api/user-networks.js';

/** The pods (not being deleted) on the network. */
export function podsOn(network: string, pods: readonly Pod[]): Pod[] {
  return pods.filter((p) => {
    const r = podAttachments(p);
    return r.ok && r.attachments.some((a) => a.network === network);
  });
}

/** "ns/name" of a pod. */
export const podRef = (p: Pod): string => `${p.metadata.namespace ?? 'default'}/${p.metadata.name}`;
