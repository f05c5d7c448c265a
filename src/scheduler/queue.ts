import type { Pod } from '../api/pod.js';
import { systemClock, type Clock } from '../api/clock.js';
import { KeyedHeap } from './heap.js';

const keyOf = (p: Pod): string => `${p.metadata.namespace ?? 'default'}/${p.metadata.name}`;

/** A pod in the active queue; seq breaks ties in arrival order (timestamps have second resolution). */
interface Active { pod: Pod; seq: number }
interface Backoff { pod: Pod; until: number }

/** The queue reads time through the shared Clock (api/clock.ts), injected so tests need no sleeps. */
export { systemClock, type Clock };

/**
 * The scheduling queue: an active queue ordered by priority then age, a back-off queue for pods that
 * just failed, and an unschedulable set that waits for a cluster event that could help.
 */
export class SchedulingQueue {
  private readonly active = new KeyedHeap<Active>((a, b) => before(a, b));
  private readonly backoff = new KeyedHeap<Backoff>((a, b) => a.until < b.until);
  private seq = 0;
  private readonly unschedulable = new Map<string, Pod>();
  private readonly attempts = new Map<string, number>();

  constructor(private readonly clock: Clock = systemClock, private readonly initialBackoffMs = 1000, private readonly maxBackoffMs = 10_000) {}

  /** Add or refresh a pending pod. */
  add(pod: Pod): void {
    const k = keyOf(pod);
    const waiting = this.backoff.get(k);
    if (waiting) { waiting.pod = pod; return; }
    if (this.unschedulable.has(k)) { this.unschedulable.set(k, pod); return; }
    const queued = this.active.get(k);
    if (queued && podPriority(queued.pod) === podPriority(pod)) { queued.pod = pod; return; }
    this.active.set(k, { pod, seq: queued?.seq ?? this.seq++ });
  }

  /** Try a pod now, wherever it waits (kube-scheduler's Activate): an event made it schedulable, so no back-off. */
  activate(pod: Pod): void {
    const k = keyOf(pod);
    this.backoff.delete(k);
    this.unschedulable.delete(k);
    this.add(pod);
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
    for (let e = this.backoff.peek(); e !== undefined && e.until <= t; e = this.backoff.peek()) {
      this.backoff.pop();
      this.active.set(keyOf(e.pod), { pod: e.pod, seq: this.seq++ });
    }
    return this.active.pop()?.pod;
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
    const first = this.backoff.peek();
    return first === undefined ? undefined : Math.max(0, first.until - this.clock.now());
  }

  get pendingCount(): number { return this.active.size + this.backoff.size + this.unschedulable.size; }
  get activeCount(): number { return this.active.size; }
  get backoffCount(): number { return this.backoff.size; }
  get unschedulableCount(): number { return this.unschedulable.size; }
}

const podPriority = (p: Pod): number => p.spec.priority ?? 0;

/** Higher priority first, then the older pod, then the one queued first. */
function before(a: Active, b: Active): boolean {
  const pa = podPriority(a.pod);
  const pb = podPriority(b.pod);
  if (pa !== pb) return pa > pb;
  const ca = a.pod.metadata.creationTimestamp ?? '';
  const cb = b.pod.metadata.creationTimestamp ?? '';
  if (ca !== cb) return ca < cb;
  return a.seq < b.seq;
}
