/**
 * The queue controller's decision, pure: which pending Jobs to admit, which borrowed Jobs to suspend,
 * and why every other Job waits. Dominant Resource Fairness across queues, quota and cohort borrowing,
 * reclaim of lent quota, and backfill with a window that keeps the head from starving.
 */
import { type Res, add, within } from './resources.js';
import { whyNotFit } from './explain.js';
import { Ledger, dominantShare } from './ledger.js';

export { Ledger, dominantShare } from './ledger.js';

/** A Queue as the plan sees it. */
export interface QueueInfo {
  name: string;
  weight: number;
  /** Nominal quota; Infinity for an unlimited resource. */
  quota: Res;
  cohort?: string;
  reclaim: 'Never' | 'LowerPriority' | 'Any';
}

/** A Job that names a queue and has not finished. */
export interface JobInfo {
  key: string;
  queue: string;
  demand: Res;
  priority: number;
  /** ms since the epoch; orders jobs of equal priority, and starts the backfill window. */
  created: number;
  /** ms since the epoch when admitted; undefined while pending. */
  admittedAt?: number;
}

/** Everything the plan needs. */
export interface PlanInput {
  capacity: Res;
  queues: readonly QueueInfo[];
  jobs: readonly JobInfo[];
  now: number;
  /** How long a queue's head may wait while smaller jobs behind it are backfilled. */
  backfillWindowMs: number;
}

/** A queue's numbers after the plan. */
export interface QueueSummary { pending: number; admitted: number; allocated: Res; deservedShare: number; dominantShare: number; borrowing: boolean }

/** The plan's output. */
export interface Plan {
  admit: string[];
  preempt: { key: string; reason: string }[];
  waiting: Map<string, string>;
  queues: Map<string, QueueSummary>;
}

/** Pending order within a queue: priority (high first), then creation time, then key. */
export const pendingOrder = (a: JobInfo, b: JobInfo): number => b.priority - a.priority || a.created - b.created || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * Jobs of cohort borrowers to suspend so that `job` fits in its own queue's quota, most recently
 * admitted first, only while their queue still borrows; undefined when no set of them is enough.
 */
function reclaimFor(l: Ledger, q: QueueInfo, job: JobInfo, admitted: readonly JobInfo[]): JobInfo[] | undefined {
  if (q.reclaim === 'Never' || q.cohort === undefined) return undefined;
  if (!within(add(l.used(q.name), job.demand), q.quota)) return undefined; // only our own quota comes back
  const cands = admitted
    .filter((v) => v.queue !== q.name && l.queues.get(v.queue)?.cohort === q.cohort)
    .filter((v) => q.reclaim === 'Any' || v.priority < job.priority)
    .sort((a, b) => (b.admittedAt ?? 0) - (a.admittedAt ?? 0));
  const victims: JobInfo[] = [];
  for (const v of cands) {
    const vq = l.queues.get(v.queue);
    if (!vq || !l.borrowing(vq)) continue;
    l.charge(v.queue, v.demand, -1);
    victims.push(v);
    if (l.fits(q, job.demand)) return victims;
  }
  for (const v of victims) l.charge(v.queue, v.demand, 1);
  return undefined;
}

/** Decide admissions and preemptions for one pass. */
export function planAdmission(input: PlanInput): Plan {
  const queues = new Map(input.queues.map((q) => [q.name, q]));
  const l = new Ledger(input.capacity, queues);
  const pending = new Map<string, JobInfo[]>();
  const admitted: JobInfo[] = [];
  const plan: Plan = { admit: [], preempt: [], waiting: new Map(), queues: new Map() };
  for (const j of input.jobs) {
    if (!queues.has(j.queue)) {
      if (j.admittedAt === undefined) plan.waiting.set(j.key, `queue ${j.queue} does not exist: create it (lcctl queue create ${j.queue}) or fix the label lantern.dev/queue-name`);
      continue;
    }
    if (j.admittedAt !== undefined) { admitted.push(j); l.charge(j.queue, j.demand, 1); continue; }
    const list = pending.get(j.queue) ?? [];
    list.push(j);
    pending.set(j.queue, list);
  }
  for (const list of pending.values()) list.sort(pendingOrder);

  for (;;) {
    let best: { q: QueueInfo; job: JobInfo; score: number } | undefined;
    const order = [...pending.keys()].filter((n) => pending.get(n)!.length > 0)
      .map((name) => ({ q: queues.get(name)!, score: dominantShare(l.used(name), input.capacity) / queues.get(name)!.weight }))
      .sort((a, b) => a.score - b.score || (a.q.name < b.q.name ? -1 : 1));
    for (const { q, score } of order) {
      const list = pending.get(q.name)!;
      const job = pick(l, q, list, input);
      if (job) { best = { q, job, score }; break; }
      // The neediest queue waits only for cluster room: hold that room for it rather than let a
      // queue further ahead of its share take it (a head larger than the cluster holds nothing).
      const head = list[0]!.demand;
      if (l.fitsQuota(q, head) && within(head, input.capacity)) break;
    }
    if (!best) {
      // Nothing fits as is: a queue whose head fits its own quota may take lent quota back.
      const r = reclaimOne(l, queues, pending, admitted);
      if (!r) break;
      for (const v of r.victims) {
        plan.preempt.push({ key: v.key, reason: `queue ${r.q.name} reclaims its quota for ${r.job.key} (${v.queue} was borrowing)` });
        admitted.splice(admitted.indexOf(v), 1);
      }
      best = { q: r.q, job: r.job, score: 0 };
    } else {
      l.charge(best.q.name, best.job.demand, 1);
    }
    const list = pending.get(best.q.name)!;
    list.splice(list.indexOf(best.job), 1);
    plan.admit.push(best.job.key);
    admitted.push({ ...best.job, admittedAt: input.now });
  }

  for (const [name, list] of pending) {
    const q = queues.get(name)!;
    list.forEach((j, i) => plan.waiting.set(j.key, `queue ${name}: ${i === 0 ? whyNotFit(l, q, j.demand) : `waiting behind ${list[0]!.key}`}; ${i} job${i === 1 ? '' : 's'} ahead`));
  }
  summarize(l, queues, pending, admitted, plan);
  return plan;
}

/** The job a queue would admit next: its head if it fits, else (inside the backfill window) a later one that fits. */
function pick(l: Ledger, q: QueueInfo, list: readonly JobInfo[], input: PlanInput): JobInfo | undefined {
  const head = list[0];
  if (!head) return undefined;
  if (l.fits(q, head.demand)) return head;
  // The head's backfill window: once it has waited this long, the room that frees up is kept for it.
  if (input.now - head.created >= input.backfillWindowMs) return undefined;
  return list.slice(1).find((j) => l.fits(q, j.demand));
}

/** The first queue (by name) whose head can be admitted by reclaiming lent quota; charges the ledger. */
function reclaimOne(l: Ledger, queues: ReadonlyMap<string, QueueInfo>, pending: ReadonlyMap<string, JobInfo[]>, admitted: readonly JobInfo[]): { q: QueueInfo; job: JobInfo; victims: JobInfo[] } | undefined {
  for (const name of [...pending.keys()].sort()) {
    const q = queues.get(name)!;
    const head = pending.get(name)?.[0];
    if (!head) continue;
    const victims = reclaimFor(l, q, head, admitted);
    if (victims) { l.charge(name, head.demand, 1); return { q, job: head, victims }; }
  }
  return undefined;
}

function summarize(l: Ledger, queues: ReadonlyMap<string, QueueInfo>, pending: ReadonlyMap<string, JobInfo[]>, admitted: readonly JobInfo[], plan: Plan): void {
  const count = (q: string): number => admitted.filter((j) => j.queue === q).length;
  const active = [...queues.values()].filter((q) => count(q.name) > 0 || (pending.get(q.name)?.length ?? 0) > 0);
  const weights = active.reduce((s, q) => s + q.weight, 0);
  for (const q of queues.values()) {
    plan.queues.set(q.name, {
      pending: pending.get(q.name)?.length ?? 0,
      admitted: count(q.name),
      allocated: l.used(q.name),
      deservedShare: active.includes(q) && weights > 0 ? q.weight / weights : 0,
      dominantShare: dominantShare(l.used(q.name), l.capacity),
      borrowing: l.borrowing(q),
    });
  }
}
