/** What the Job controller tells people: Events on the Job and log lines, written without blocking a reconcile. */
import type { Job } from '../../api/schema/job.js';
import type { ApiClient } from '../../client/types.js';
import { EventRecorder, keyOf } from '../../client/kit/index.js';
import type { JobPlan } from './plan.js';

const trueReason = (j: Job, type: string): string | undefined => j.status?.conditions?.find((c) => c.type === type && c.status === 'True')?.reason;

/** Events and log lines about Jobs. */
export class JobReporter {
  private readonly recorder: EventRecorder | undefined;
  private readonly pending = new Set<Promise<unknown>>();
  /** Per Job key: the last reason it waits, so the log says it once. */
  private readonly waiting = new Map<string, string>();

  constructor(api: ApiClient, now: () => number, private readonly log: (msg: string) => void, events: boolean) {
    this.recorder = events ? new EventRecorder(api, 'job-controller', () => new Date(now())) : undefined;
  }

  /** Record an Event in the background (events are reports, not state). */
  event(job: Job, type: 'Normal' | 'Warning', reason: string, message: string): void {
    if (!this.recorder) return;
    const p = this.recorder.record(job, type, reason, message).finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  /** Resolves once the events recorded so far are written. */
  async flushed(): Promise<void> { await Promise.all([...this.pending]); }

  forget(key: string): void { this.waiting.delete(key); }

  /** Events and log lines for the conditions that changed in one pass, and a new reason to wait. */
  transition(before: Job, after: Job, plan: JobPlan): void {
    const key = keyOf(after);
    const was = (t: string): boolean => trueReason(before, t) !== undefined;
    // A completion is an Event, not a log line: at hundreds of Jobs a second the log would be mostly these.
    if (!was('Complete') && trueReason(after, 'Complete')) this.event(after, 'Normal', 'Completed', 'Job completed');
    const failed = trueReason(after, 'Failed');
    if (!was('Failed') && failed) {
      const msg = after.status?.conditions?.find((c) => c.type === 'Failed')?.message ?? failed;
      this.log(`job ${key}: failed (${failed}): ${msg}`);
      this.event(after, 'Warning', failed, msg);
    }
    if (!was('Suspended') && trueReason(after, 'Suspended')) this.event(after, 'Normal', 'Suspended', 'Job suspended');
    if (was('Suspended') && !trueReason(after, 'Suspended')) this.event(after, 'Normal', 'Resumed', 'Job resumed');
    if (plan.waiting !== this.waiting.get(key)) {
      if (plan.waiting) { this.log(`job ${key}: waiting: ${plan.waiting}`); this.waiting.set(key, plan.waiting); } else this.waiting.delete(key);
    }
  }
}
