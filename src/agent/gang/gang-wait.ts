/** Reads a gang member's group (its peers from the watch, its PodGroup's size) and resolves it. */
import type { Pod } from '../../api/pod.js';
import type { PodGroup } from '../../api/schema/pod-group.js';
import { GangAnnotations } from '../../api/annotations.js';
import { ApiError } from '../../api/errors.js';
import type { ApiClient } from '../../client/types.js';
import { resolveGang, type GangResolution } from './gang-members.js';
import type { GangPeers } from './gang-peers.js';

/** True for a pod of a gang (annotation scheduling.lantern.dev/group). */
export function isGangMember(pod: Pod): boolean {
  return Boolean(pod.metadata.annotations?.[GangAnnotations.group]);
}

/**
 * The PodGroup's minMember, read only when the pods carry no min-available annotation. A PodGroup
 * that is missing or may not be read gives undefined (the size falls back to the number of members).
 */
export async function readMinMember(api: Pick<ApiClient, 'get'>, pod: Pod): Promise<number | undefined> {
  if (pod.metadata.annotations?.[GangAnnotations.minAvailable] !== undefined) return undefined;
  const group = pod.metadata.annotations?.[GangAnnotations.group] ?? '';
  try {
    return (await api.get<PodGroup>('podgroups', group, pod.metadata.namespace ?? 'default')).spec.minMember;
  } catch (e) {
    if (!(e instanceof ApiError && (e.code === 'NotFound' || e.code === 'Forbidden'))) throw e;
    return undefined;
  }
}

/** One look at the group: its members from the node's watch, its size from the PodGroup. */
export async function readGang(peers: GangPeers, api: Pick<ApiClient, 'get'>, pod: Pod, selfIP: string): Promise<GangResolution> {
  return resolveGang(pod, selfIP, await peers.members(pod), await readMinMember(api, pod));
}
