/**
 * Who belongs to which gang, and the PodGroups that say how many must go together: Coscheduling's
 * cache extension, kept from the scheduler's pod events and its PodGroup watch.
 */
import type { ApiObject, WatchEvent } from '../../api/meta.js';
import type { Pod } from '../../api/pod.js';
import type { PodGroup } from '../../api/schema/pod-group.js';
import { GangAnnotations } from '../../api/annotations.js';
import { ExtensionKey, type CacheExtension, type Wake } from '../framework/extension.js';
import { holdsResources, needsScheduling } from '../framework/node-info.js';

/** namespace/group of a gang member, or undefined for a pod on its own. */
export function gangKey(pod: Pod): string | undefined {
  const group = pod.metadata.annotations?.[GangAnnotations.group];
  return group ? `${pod.metadata.namespace ?? 'default'}/${group}` : undefined;
}

/** minMember from the pod's annotation (a Job's minAvailable), when no PodGroup object says. */
export function annotatedMinMember(pod: Pod): number | undefined {
  const n = Number(pod.metadata.annotations?.[GangAnnotations.minAvailable]);
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}

/** Why a gang waits before it can even be tried: not all of its members exist yet. */
export const missingMembers = (group: string, existing: number, minMember: number): string =>
  `pod group ${group}: ${existing} of ${minMember} pods exist; waiting for ${minMember - existing} more to be created`;

/** A member that still needs a node. */
const pending = needsScheduling;
/** A member on a node (assumed ones too) that holds resources there. */
const placed = (p: Pod): boolean => p.spec.nodeName !== undefined && p.spec.nodeName !== '' && holdsResources(p);
const byName = (a: Pod, b: Pod): number => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0);
const podKey = (p: Pod): string => `${p.metadata.namespace ?? 'default'}/${p.metadata.name}`;
const objectKey = (o: ApiObject): string => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
const revision = (o: ApiObject | undefined): number => Number(o?.metadata.resourceVersion ?? 0) || 0;

/** One gang's members, with running counts so Permit asks in O(1). */
interface Members { pods: Map<string, Pod>; placed: number; pending: number }

/** Gang membership (every pod, placed or not) and PodGroup objects, by namespace/group. */
export class Gangs implements CacheExtension {
  private readonly gangs = new Map<string, Members>();
  private readonly groups = new Map<string, PodGroup>();
  readonly watches = ['podgroups'] as const;

  podChanged(before: Pod | undefined, after: Pod | undefined): Wake {
    const was = before && gangKey(before);
    const now = after && gangKey(after);
    if (was && was !== now) this.set(was, podKey(before), undefined);
    if (!now || !after) return undefined;
    const isNew = this.set(now, podKey(after), after);
    // A gang parked for lack of members can be tried the moment its last missing member exists.
    if (isNew && pending(after)) {
      const min = this.minMember(now, after);
      if (min !== undefined && this.placed(now) + this.pendingCount(now) === min) return this.pending(now);
    }
    return undefined;
  }

  objectChanged(resource: string, e: WatchEvent<ApiObject>): Wake {
    if (resource !== 'podgroups') return undefined;
    // The scheduler watches podgroups for this extension only, so the objects are PodGroups.
    const pg = e.object as PodGroup;
    const k = objectKey(pg);
    const held = this.groups.get(k);
    // Gone: its members fall back to their annotation (or go alone), so parked ones are tried again.
    if (e.type === 'DELETED') { this.groups.delete(k); return this.pending(k); }
    if (held && revision(held) > revision(pg)) return undefined; // older than our own status write
    this.groups.set(k, pg);
    return held?.spec.minMember !== pg.spec.minMember ? this.pending(k) : undefined;
  }

  /** The gang's PodGroup, if one exists. */
  podGroup(gang: string): PodGroup | undefined { return this.groups.get(gang); }

  /** How many members must be placed together: the PodGroup's minMember, else the pod's annotation. */
  minMember(gang: string, pod: Pod): number | undefined { return this.groups.get(gang)?.spec.minMember ?? annotatedMinMember(pod); }

  /** Members on nodes (assumed ones included) that hold resources. */
  placed(gang: string): number { return this.gangs.get(gang)?.placed ?? 0; }

  /** How many members need a node. */
  pendingCount(gang: string): number { return this.gangs.get(gang)?.pending ?? 0; }

  /** Members that need a node, by name. */
  pending(gang: string): Pod[] { return [...this.gangs.get(gang)?.pods.values() ?? []].filter(pending).sort(byName); }

  /** Replace (or with undefined remove) one member, keeping the counts; true when it is new to the gang. */
  private set(gang: string, key: string, pod: Pod | undefined): boolean {
    let m = this.gangs.get(gang);
    if (!m) { if (!pod) return false; m = { pods: new Map(), placed: 0, pending: 0 }; this.gangs.set(gang, m); }
    const old = m.pods.get(key);
    if (old) { m.placed -= Number(placed(old)); m.pending -= Number(pending(old)); }
    if (pod) { m.pods.set(key, pod); m.placed += Number(placed(pod)); m.pending += Number(pending(pod)); } else m.pods.delete(key);
    if (m.pods.size === 0) this.gangs.delete(gang);
    return old === undefined;
  }
}

/** Coscheduling's cache extension. */
export const gangsKey = new ExtensionKey('Coscheduling/gangs', () => new Gangs());
