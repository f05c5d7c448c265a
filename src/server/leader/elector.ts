/**
 * Leader election on a coordination.k8s.io/v1 Lease, with client-go's semantics (leaderelection.go):
 * a candidate takes the lease when it is absent, released, or has not changed for leaseDuration on the
 * candidate's OWN clock since it last saw it change (clocks are never compared); the leader renews it
 * every retryPeriod and gives up when no renew succeeded for renewDeadline. Writes are conditional on
 * the lease's resourceVersion, so two candidates never both win one round.
 */
import type { ApiClient } from '../../client/types.js';
import type { Lease, LeaseSpec } from '../../api/schema/lease.js';
import { isApiError } from '../../client/kit/errors.js';
import { every, timerClock } from '../../client/kit/timers.js';
import type { Clock, TimerClock } from '../../api/clock.js';

/**
 * Shorter than client-go's 15/10/2 s: a candidate takes over up to leaseDuration + retryPeriod after it
 * last saw a renew, so 15 s leases gave 16-18 s failovers (bench:failover) against the 15 s.
 * 12/8/1.5 s fail over in about 13.5 s and keep 4 s between the old leader's last write and the new one's first.
 */
export const defaultLeaderTimings = { leaseDurationMs: 12_000, renewDeadlineMs: 8_000, retryPeriodMs: 1_500 } as const;

/** What a LeaderElector needs. */
export interface LeaderElectorOptions {
  api: Pick<ApiClient, 'get' | 'create' | 'update'>;
  /** The lease's namespace and name, e.g. lantern-system/lantern-leader. */
  namespace: string;
  name: string;
  /** This candidate's unique identity (host name plus a per-process id: a restarted server is a new holder). */
  identity: string;
  clock?: Clock;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /**
   * The store is this process's alone (SQLite: the file is locked), so no other candidate can exist: a
   * holder left by an earlier run is taken over at once instead of after leaseDuration.
   */
  sole?: boolean;
  /** Called once each time this candidate becomes leader. */
  onStartedLeading?(): void | Promise<void>;
  /** Called once each time it stops leading (lost, deadline passed, or stop()). */
  onStoppedLeading?(): void | Promise<void>;
  log?(msg: string): void;
}

/** Kubernetes' MicroTime text of ms since the epoch. */
const microTime = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, '000Z');

/** One candidate for one lease. start() campaigns until stop(). */
export class LeaderElector {
  private readonly clock: TimerClock;
  private readonly leaseMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryMs: number;
  /** The lease as last read, and when (on our clock) we saw its spec change. */
  private observed: Lease | undefined;
  private observedSpec = '';
  private observedAt = 0;
  /** Clock time at which the last successful acquire/renew was SENT (conservative for fencing). */
  private renewedAt = Number.NEGATIVE_INFINITY;
  private leading = false;
  private inFlight = false;
  private stopped = true;
  private cancelTimer: (() => void) | undefined;
  private current: Promise<void> = Promise.resolve();

  constructor(private readonly o: LeaderElectorOptions) {
    this.clock = timerClock(o.clock);
    this.leaseMs = o.leaseDurationMs ?? defaultLeaderTimings.leaseDurationMs;
    this.renewDeadlineMs = o.renewDeadlineMs ?? defaultLeaderTimings.renewDeadlineMs;
    this.retryMs = o.retryPeriodMs ?? defaultLeaderTimings.retryPeriodMs;
    if (!(this.leaseMs > this.renewDeadlineMs && this.renewDeadlineMs > this.retryMs && this.retryMs > 0)) {
      throw new Error(`leader election: need leaseDuration (${this.leaseMs} ms) > renewDeadline (${this.renewDeadlineMs} ms) > retryPeriod (${this.retryMs} ms) > 0`);
    }
  }

  /** This candidate's identity. */
  get identity(): string { return this.o.identity; }

  /**
   * Whether this candidate leads now: it won, and its last renew was sent less than renewDeadline ago
   * on its clock. The fence (fence.ts) asks this before every write of the scheduler and controllers.
   */
  isLeader(): boolean {
    return this.leading && this.clock.now() - this.renewedAt < this.renewDeadlineMs;
  }

  /** The holder this candidate last saw ('' when none). */
  get leader(): string { return this.observed?.spec?.holderIdentity ?? ''; }

  /** Settles when the round the clock last began has finished (tests step the clock round by round). */
  idle(): Promise<void> { return this.current; }

  /** Try once at once (so a sole candidate leads before start() resolves), then every retryPeriod. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.tick();
    this.arm();
  }

  /** Stop campaigning; a leader steps down (onStoppedLeading) and releases the lease so another takes over at once. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.cancelTimer?.();
    const was = this.leading;
    if (was) await this.lose('stopping');
    // A renew still in flight would make the release below conflict with it: let it land first.
    await this.current.catch(() => undefined);
    if (was) await this.release().catch((err: unknown) => this.o.log?.(`leader election: cannot release the lease: ${(err as Error).message}`));
  }

  /** client-go's ReleaseOnCancel: an empty holder lets the next candidate take over without waiting (only while the lease is still ours). */
  private async release(): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await this.o.api.get<Lease>('leases', this.o.name, this.o.namespace);
      if ((current.spec?.holderIdentity ?? '') !== this.o.identity) return;
      const spec: LeaseSpec = { ...current.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(this.clock.now()) };
      try {
        await this.o.api.update<Lease>('leases', { ...current, spec });
        return;
      } catch (err) {
        if (!isApiError(err, 'Conflict')) throw err;
      }
    }
  }

  /** Ticks every retryPeriod even while a request hangs, so a leader cut off from the store still steps down on time. */
  private arm(): void {
    if (this.stopped) return;
    this.cancelTimer = every(this.clock, this.retryMs, () => {
      this.current = this.tick().catch((err: unknown) => this.o.log?.(`leader election: ${(err as Error).message}`));
    });
  }

  /** One round: try to acquire or renew; lose leadership when the deadline has passed. */
  private async tick(): Promise<void> {
    if (this.leading && !this.isLeader()) await this.lose(`no renew succeeded for ${this.renewDeadlineMs} ms`);
    if (this.inFlight || this.stopped) return;
    this.inFlight = true;
    const sentAt = this.clock.now();
    let ok = false;
    try {
      ok = await this.tryAcquireOrRenew(sentAt);
    } catch (err) {
      this.o.log?.(`leader election: ${(err as Error).message}`);
    } finally {
      this.inFlight = false;
    }
    if (this.stopped) return;
    if (ok) {
      this.renewedAt = sentAt;
      if (!this.leading) {
        this.leading = true;
        this.o.log?.(`leader election: ${this.o.identity} leads ${this.o.namespace}/${this.o.name}`);
        await this.o.onStartedLeading?.();
      }
    } else if (this.leading && (this.leader !== this.o.identity || !this.isLeader())) {
      await this.lose(this.leader !== this.o.identity ? `${this.leader || 'nobody'} holds the lease` : `no renew succeeded for ${this.renewDeadlineMs} ms`);
    }
  }

  private async lose(why: string): Promise<void> {
    if (!this.leading) return;
    this.leading = false;
    this.o.log?.(`leader election: ${this.o.identity} stopped leading: ${why}`);
    await this.o.onStoppedLeading?.();
  }

  /** client-go's tryAcquireOrRenew: true when this candidate holds the lease after the call. */
  private async tryAcquireOrRenew(now: number): Promise<boolean> {
    const me = this.o.identity;
    let current: Lease;
    try {
      current = await this.o.api.get<Lease>('leases', this.o.name, this.o.namespace);
    } catch (err) {
      if (!isApiError(err, 'NotFound')) throw err;
      const spec: LeaseSpec = { holderIdentity: me, leaseDurationSeconds: Math.ceil(this.leaseMs / 1000), acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: 0 };
      const made = await this.o.api.create<Lease>('leases', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.o.name, namespace: this.o.namespace }, spec })
        .catch((e: unknown) => { if (isApiError(e, 'AlreadyExists')) return undefined; throw e; });
      if (made) this.see(made, now);
      return made !== undefined;
    }
    this.see(current, now);
    const spec = current.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    const duration = (spec.leaseDurationSeconds ?? Math.ceil(this.leaseMs / 1000)) * 1000;
    if (holder !== '' && holder !== me && !this.o.sole && this.observedAt + duration > now) return false;
    const mine = holder === me && this.leading;
    const next: LeaseSpec = {
      ...spec,
      holderIdentity: me,
      leaseDurationSeconds: Math.ceil(this.leaseMs / 1000),
      renewTime: microTime(now),
      acquireTime: mine ? spec.acquireTime ?? microTime(now) : microTime(now),
      leaseTransitions: mine ? spec.leaseTransitions ?? 0 : (spec.leaseTransitions ?? 0) + (holder === me ? 0 : 1),
    };
    try {
      this.see(await this.o.api.update<Lease>('leases', { ...current, spec: next }), now);
      return true;
    } catch (err) {
      if (isApiError(err, 'Conflict')) return false;
      throw err;
    }
  }

  /** Remember the lease; its change time moves only when its spec changed (client-go's observedRawRecord). */
  private see(l: Lease, now: number): void {
    const spec = JSON.stringify(l.spec ?? {});
    if (spec !== this.observedSpec) { this.observedSpec = spec; this.observedAt = now; }
    this.observed = l;
  }
}
