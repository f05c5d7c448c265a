/**
 * Docker's healthcheck of one container instance on an injected clock (moby daemon/health.go): the
 * first check one interval after the start, then every interval; a pass makes it healthy and clears
 * the failing streak; a failure adds to the streak, except while still starting within the start
 * period, and `retries` failures in a row make it unhealthy. It never kills the container (Docker does
 * not either); it only reports.
 */
import type { TimerClock } from '../../api/clock.js';
import type { HealthState, ResolvedHealth } from '../../api/healthcheck.js';
import type { ProbeResult } from './probes.js';

/** Runs the check command once; settles soon after signal aborts. */
export type HealthExec = (command: string[], signal: AbortSignal) => Promise<ProbeResult>;

/** How long a command that ignores its abort may keep a timed-out check waiting. */
const abortGraceMs = 1000;

/** The healthcheck of one container instance; stop() when the instance ends. */
export class HealthChecker {
  state: HealthState = { status: 'starting', failingStreak: 0 };
  private stopped = false;
  private cancel: () => void = () => undefined;

  constructor(private readonly hc: ResolvedHealth, private readonly clock: TimerClock, private readonly exec: HealthExec,
    private readonly changed: (s: HealthState) => void, private readonly startedAt = clock.now()) {}

  /** Arm the first check, one interval after the instance started. */
  start(): void { this.schedule(this.startedAt + this.hc.intervalMs - this.clock.now()); }

  /** No more checks or callbacks. */
  stop(): void { this.stopped = true; this.cancel(); }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.cancel = this.clock.after(Math.max(0, delayMs), () => { void this.run(); });
  }

  private async run(): Promise<void> {
    if (this.stopped) return;
    const began = this.clock.now();
    const r = await this.once();
    if (this.stopped) return;
    this.record(r, began);
    this.schedule(began + this.hc.intervalMs - this.clock.now());
  }

  private once(): Promise<ProbeResult> {
    const ac = new AbortController();
    const timedOut: ProbeResult = { ok: false, message: `Health check exceeded timeout (${this.hc.timeoutMs / 1000}s)` };
    return new Promise((resolve) => {
      let done = false;
      let cancel = (): void => undefined;
      const finish = (r: ProbeResult): void => { if (!done) { done = true; cancel(); resolve(r); } };
      cancel = this.clock.after(this.hc.timeoutMs, () => {
        ac.abort();
        setTimeout(() => finish(timedOut), abortGraceMs).unref();
      });
      Promise.resolve().then(() => this.exec(this.hc.command, ac.signal))
        .catch((e: unknown): ProbeResult => ({ ok: false, message: e instanceof Error ? e.message : String(e) }))
        .then((r) => finish(ac.signal.aborted ? timedOut : r), () => undefined);
    });
  }

  private record(r: ProbeResult, at: number): void {
    const before = JSON.stringify(this.state);
    const s: HealthState = { ...this.state };
    if (r.message !== undefined) s.output = r.message; else delete s.output;
    if (r.ok) {
      s.failingStreak = 0;
      s.status = 'healthy';
    } else if (!(s.status === 'starting' && at < this.startedAt + this.hc.startPeriodMs)) {
      // Failures during the start period do not count, until the first pass ends it.
      s.failingStreak += 1;
      if (s.failingStreak >= this.hc.retries) s.status = 'unhealthy';
    }
    this.state = s;
    if (JSON.stringify(s) !== before) this.changed(s);
  }
}
