/**
 * The Job controller's copy of the pods Jobs control, kept by a pod watch and by the controller's own
 * creates, indexed by "namespace/job name". Reading it instead of listing pods per reconcile is what
 * makes thousands of Jobs affordable.
 */
import type { Pod } from '../../api/pod.js';

const ownerKey = (p: Pod): string | undefined => {
  const o = p.metadata.ownerReferences?.find((r) => r.controller === true);
  return o?.kind === 'Job' ? `${p.metadata.namespace ?? 'default'}/${o.name}` : undefined;
};
const rv = (p: Pod): number => Number(p.metadata.resourceVersion ?? 0);

/** Pods by the Job ("ns/name") that controls them. */
export class PodCache {
  private readonly byJob = new Map<string, Map<string, Pod>>();

  /**
   * Add or replace a pod, unless the cache holds a newer version. The controller puts each pod it
   * creates in at once, so a reconcile that runs before the watch delivers it does not make another.
   */
  upsert(p: Pod): string | undefined {
    const key = ownerKey(p);
    if (key === undefined) return undefined;
    let m = this.byJob.get(key);
    if (!m) { m = new Map(); this.byJob.set(key, m); }
    const uid = p.metadata.uid ?? p.metadata.name;
    const old = m.get(uid);
    if (!old || rv(old) <= rv(p)) m.set(uid, p);
    return key;
  }

  /** Forget a deleted pod. */
  remove(p: Pod): string | undefined {
    const key = ownerKey(p);
    if (key === undefined) return undefined;
    const m = this.byJob.get(key);
    m?.delete(p.metadata.uid ?? p.metadata.name);
    if (m?.size === 0) this.byJob.delete(key);
    return key;
  }

  /** Every pod whose controller is a Job named key ("ns/name"), whatever that Job's uid. */
  pods(key: string): Pod[] {
    return [...(this.byJob.get(key)?.values() ?? [])];
  }
}
