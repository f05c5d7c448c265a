/** Reads a gang member's group through the API (pods of its namespace, its PodGroup) and resolves it. */
import type { Pod } from '../api/pod.js';
import type { PodGroup } from '../api/schema/pod-group.js';
import { GangAnnotations } from '../api/annotations.js';
import { ApiError } from '../api/errors.js';
import type { ApiClient } from '../client/types.js';
import { resolveGang, type GangResolution } from './gang-members.js';

/** True for a pod of a gang (annotation scheduling.lantern.dev/group). */
export function isGangMember(pod: Pod): boolean {
  return Boolean(pod.metadata.annotations?.[GangAnnotations.group]);
}

/**
 * One look at the group: list the namespace's pods (a node credential may list pods) and, when the
 * pods carry no min-available annotation, the PodGroup's minMember. A PodGroup that is missing or
 * may not be read falls back to the number of members.
 */
export async function readGang(api: ApiClient, pod: Pod, selfIP: string): Promise<GangResolution> {
  const ns = pod.metadata.namespace ?? 'default';
  const pods = (await api.list<Pod>('pods', ns)).items;
  let minMember: number | undefined;
  if (pod.metadata.annotations?.[GangAnnotations.minAvailable] === undefined) {
    const group = pod.metadata.annotations?.[GangAnnotations.group] ?? '';
    try {
      minMember = (await api.get<PodGroup>('podgroups', group, ns)).spec.minMember;
    } catch (e) {
      if (!(e instanceof ApiError && (e.code === 'NotFound' || e.code === 'Forbidden'))) throw e;
    }
  }
  return resolveGang(pod, selfIP, pods, minMember);
}
