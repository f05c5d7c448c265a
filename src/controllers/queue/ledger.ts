/** The accounting one plan works on: usage per queue, cluster total, quota and cohort fit. */
import { type Res, add, sub, within, zero, RESOURCES } from './resources.js';
import type { QueueInfo } from './plan.js';

/** max over resources of used ÷ capacity (resources the cluster lacks are ignored). */
export function dominantShare(used: Res, capacity: Res): number {
  let s = 0;
  for (const r of RESOURCES) if (capacity[r] > 0) s = Math.max(s, used[r] / capacity[r]);
  return s;
}

/** The mutable accounting a plan works on. */
export class Ledger {
  readonly usage = new Map<string, Res>();
  total = zero();
  constructor(readonly capacity: Res, readonly queues: ReadonlyMap<string, QueueInfo>) {
    for (const q of queues.keys()) this.usage.set(q, zero());
  }
  used(q: string): Res { return this.usage.get(q) ?? zero(); }
  charge(q: string, d: Res, sign: 1 | -1): void {
    this.usage.set(q, sign === 1 ? add(this.used(q), d) : sub(this.used(q), d));
    this.total = sign === 1 ? add(this.total, d) : sub(this.total, d);
  }
  members(cohort: string | undefined): QueueInfo[] {
    return cohort === undefined ? [] : [...this.queues.values()].filter((m) => m.cohort === cohort);
  }
  /** Cohort totals: what its members use, and the sum of their quotas. */
  cohortSums(cohort: string): { used: Res; quota: Res } {
    let used = zero();
    let quota = zero();
    for (const m of this.members(cohort)) { used = add(used, this.used(m.name)); quota = add(quota, m.quota); }
    return { used, quota };
  }
  borrowing(q: QueueInfo): boolean { return !within(this.used(q.name), q.quota); }
  /** Would job j of queue q fit now: in the cluster, and in its quota or its cohort's idle quota? */
  fits(q: QueueInfo, d: Res): boolean {
    return within(add(this.total, d), this.capacity) && this.fitsQuota(q, d);
  }
  /** The quota half of fits(): its own quota, or with a cohort, the cohort's. */
  fitsQuota(q: QueueInfo, d: Res): boolean {
    if (q.cohort === undefined) return within(add(this.used(q.name), d), q.quota);
    const c = this.cohortSums(q.cohort);
    return within(add(c.used, d), c.quota);
  }
}

