/**
 * The probe state machine of one container instance, Kubernetes' prober semantics on an injected clock:
 * a startup probe gates liveness and readiness until it succeeds; failureThreshold failures in a row of
 * a liveness or startup probe ask for the container to be killed; readiness turns ready after
 * successThreshold successes in a row and not ready after failureThreshold failures in a row.
 */
import type { Container, Probe } from '../../api/schema/pod.js';
import type { TimerClock } from '../../api/clock.js';
import type { ContainerSlot } from '../container-slot.js';

/** Which probe of a container. */
export type ProbeKind = 'liveness' | 'readiness' | 'startup';

/** One probe outcome; message says why it failed, in Kubernetes' words. */
export interface ProbeResult { ok: boolean; message?: string }

/** Runs one probe once; must settle soon after signal aborts (the timeout). */
export type ProbeHandler = (kind: ProbeKind, probe: Probe, signal: AbortSignal) => Promise<ProbeResult>;

/** What a prober tells its owner. */
export interface ProberEvents {
  /** started or ready changed. */
  changed(): void;
  /** A probe failed (each time): for the Unhealthy event. */
  failed(kind: ProbeKind, message: string): void;
  /** A liveness or startup probe failed failureThreshold times in a row: kill the container. */
  unhealthy(kind: ProbeKind, message: string): void;
}

/** "Liveness" for liveness, as Kubernetes' event messages start. */
export const probeLabel = (kind: ProbeKind): string => kind[0]!.toUpperCase() + kind.slice(1);

const specOf = (c: Container, kind: ProbeKind): Probe | undefined =>
  kind === 'liveness' ? c.livenessProbe : kind === 'readiness' ? c.readinessProbe : c.startupProbe;

/** Whether a container has any probe (containers without one need no prober). */
export const hasProbes = (c: Container): boolean => c.livenessProbe !== undefined || c.readinessProbe !== undefined || c.startupProbe !== undefined;

/**
 * started/ready of a running container: from its prober when one runs for this very instance,
 * otherwise false while a startup or readiness probe has not said otherwise.
 */
export function containerHealth(c: Container | undefined, slot: ContainerSlot, running: boolean): { started: boolean; ready: boolean } {
  if (!running) return { started: false, ready: false };
  const h = slot.health && slot.health.containerId === slot.current?.id ? slot.health : undefined;
  const started = h?.started ?? c?.startupProbe === undefined;
  return { started, ready: h?.ready ?? (started && c?.readinessProbe === undefined) };
}

/** How long a handler that ignores its abort may keep a timed-out probe waiting. */
const abortGraceMs = 1000;

/** The probes of one container instance; stop() when the instance ends. */
export class ContainerProber {
  started: boolean;
  /** The readiness probe's verdict (false until successThreshold successes). */
  private probeReady = false;
  private stopped = false;
  private readonly cancels = new Map<ProbeKind, () => void>();
  private readonly successes = new Map<ProbeKind, number>();
  private readonly failures = new Map<ProbeKind, number>();

  constructor(private readonly container: Container, private readonly clock: TimerClock, private readonly handler: ProbeHandler,
    private readonly events: ProberEvents, private readonly startedAt = clock.now()) {
    this.started = container.startupProbe === undefined;
  }

  /** Ready: started, and the readiness probe (if any) passed. */
  get ready(): boolean { return this.started && (this.container.readinessProbe === undefined || this.probeReady); }

  /** Arm the first probes: the startup probe alone, or liveness and readiness. */
  start(): void {
    if (this.started) { this.arm('liveness'); this.arm('readiness'); } else this.arm('startup');
  }

  /** No more probes or callbacks. */
  stop(): void {
    this.stopped = true;
    for (const cancel of this.cancels.values()) cancel();
    this.cancels.clear();
  }

  /** Schedule a probe's first run initialDelaySeconds after the container started (now if that has passed). */
  private arm(kind: ProbeKind): void {
    const p = specOf(this.container, kind);
    if (!p) return;
    this.schedule(kind, this.startedAt + (p.initialDelaySeconds ?? 0) * 1000 - this.clock.now());
  }

  private schedule(kind: ProbeKind, delayMs: number): void {
    if (this.stopped) return;
    this.cancels.set(kind, this.clock.after(Math.max(0, delayMs), () => { void this.run(kind); }));
  }

  private async run(kind: ProbeKind): Promise<void> {
    const p = specOf(this.container, kind);
    if (this.stopped || !p) return;
    const began = this.clock.now();
    const result = await this.once(kind, p);
    if (this.stopped) return;
    this.record(kind, p, result);
    if (this.stopped || (kind === 'startup' && this.started)) return;
    this.schedule(kind, began + (p.periodSeconds ?? 10) * 1000 - this.clock.now());
  }

  /** One run, failed when it takes longer than timeoutSeconds (on the clock). */
  private once(kind: ProbeKind, p: Probe): Promise<ProbeResult> {
    const ac = new AbortController();
    const timeoutS = p.timeoutSeconds ?? 1;
    const timedOut: ProbeResult = { ok: false, message: `probe timed out after ${timeoutS}s` };
    return new Promise((resolve) => {
      let done = false;
      let cancel = (): void => undefined;
      const finish = (r: ProbeResult): void => { if (!done) { done = true; cancel(); resolve(r); } };
      cancel = this.clock.after(timeoutS * 1000, () => {
        ac.abort();
        // The handler words its own timeout (it knows the target); one that ignores the abort is cut short.
        setTimeout(() => finish(timedOut), abortGraceMs).unref();
      });
      Promise.resolve().then(() => this.handler(kind, p, ac.signal))
        .catch((e: unknown): ProbeResult => ({ ok: false, message: e instanceof Error ? e.message : String(e) }))
        .then((r) => finish(ac.signal.aborted && r.ok ? timedOut : r), () => undefined);
    });
  }

  private record(kind: ProbeKind, p: Probe, r: ProbeResult): void {
    if (r.ok) {
      this.failures.set(kind, 0);
      const n = (this.successes.get(kind) ?? 0) + 1;
      this.successes.set(kind, n);
      if (kind === 'startup') {
        this.started = true;
        this.cancels.delete('startup');
        this.events.changed();
        this.arm('liveness');
        this.arm('readiness');
      } else if (kind === 'readiness' && !this.probeReady && n >= (p.successThreshold ?? 1)) {
        this.probeReady = true;
        this.events.changed();
      }
      return;
    }
    this.successes.set(kind, 0);
    const n = (this.failures.get(kind) ?? 0) + 1;
    this.failures.set(kind, n);
    const message = r.message ?? 'probe failed';
    this.events.failed(kind, message);
    if (n < (p.failureThreshold ?? 3)) return;
    if (kind === 'readiness') {
      if (this.probeReady) { this.probeReady = false; this.events.changed(); }
      return;
    }
    this.stop();
    this.events.unhealthy(kind, message);
  }
}
