import type { Pod } from '../api/pod.js';

const keyOf = (p: Pod): string => `${p.metadata.namespace ?? 'default'}/${p.metadata.name}`;

import { systemClock, type Clock } from '../api/clock.js';

/** The queue reads time through the shared Clock (api/clock.ts), injected so tests need no sleeps. */
export { systemClock, type Clock };

/**
 * The scheduling queue: an active queue ordered by priority then age, a back-off queue for pods that
 * just failed, and an unschedulable set that waits for a cluster event that could help.
 */
export class SchedulingQueue {
  private readonly active = new Map<string, Pod>();
  private readonly backoff = new Map<string, { pod: Pod; until: number }>();
  private readonly unschedulable = new Map<string, Pod>();
  private readonly attempts = new Map<string, number>();

  constructor(private readonly clock: Clock = systemClock, private readonly initialBackoffMs = 1000, private readonly maxBackoffMs = 10_000) {}

  /** Add or refresh a pending pod. */
  add(pod: Pod): void {
    const k = keyOf(pod);
    if (this.backoff.has(k)) { this.backoff.get(k)!.pod = pod; return; }
    if (this.unschedulable.has(k)) { this.unschedulable.set(k, pod); return; }
    this.active.set(k, pod);
  }

  remove(namespace: string, name: string): void {
    const k = `${namespace}/${name}`;
    this.active.delete(k);
    this.backoff.delete(k);
    this.unschedulable.delete(k);
    this.attempts.delete(k);
  }

  /** The next pod to try: highest priority, then oldest. Moves expired back-offs in first. */
  pop(): Pod | undefined {
    const t = this.clock.now();
    for (const [k, e] of this.backoff) if (e.until <= t) { this.backoff.delete(k); this.active.set(k, e.pod); }
    let best: Pod | undefined;
    for (const p of this.active.values()) if (best === undefined || before(p, best)) best = p;
    if (best) this.active.delete(keyOf(best));
    return best;
  }

  /** A pod that found no node: park it until a cluster event, after its back-off. */
  markUnschedulable(pod: Pod): void {
    const k = keyOf(pod);
    const n = (this.attempts.get(k) ?? 0) + 1;
    this.attempts.set(k, n);
    this.unschedulable.set(k, pod);
  }

  /** A pod whose binding failed for a transient reason: retry after exponential back-off. */
  markError(pod: Pod): void {
    const k = keyOf(pod);
    const n = (this.attempts.get(k) ?? 0) + 1;
    this.attempts.set(k, n);
    const delay = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** (n - 1));
    this.backoff.set(k, { pod, until: this.clock.now() + delay });
  }

  /** A cluster event (node added or changed, a pod finished) may help: retry the parked pods with back-off. */
  moveAllToActiveOrBackoff(): void {
    for (const [k, pod] of this.unschedulable) {
      this.unschedulable.delete(k);
      const n = this.attempts.get(k) ?? 1;
      const delay = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** (n - 1));
      this.backoff.set(k, { pod, until: this.clock.now() + delay });
    }
  }

  /** Milliseconds until the earliest back-off expires, if any. */
  nextBackoffIn(): number | undefined {
    let min: number | undefined;
    for (const e of this.backoff.values()) min = min === undefined ? e.until : Math.min(min, e.until);
    return min === undefined ? undefined : Math.max(0, min - this.clock.now());
  }

  get pendingCount(): number { return this.active.size + this.backoff.size + this.unschedulable.size; }
  get activeCount(): number { return this.active.size; }
}

function before(a: Pod, b: Pod): boolean {
  const pa = a.spec.priority ?? 0;
  const pb = b.spec.priority ?? 0;
  if (pa !== pb) return pa > pb;
  return (a.metadata.creationTimestamp ?? '') < (b.metadata.creationTimestamp ?? '');
}
