/**
 * The in-flight step: kube-apiserver's --max-requests-inflight and --max-mutating-requests-inflight.
 * A request takes a slot of its kind (read-only or mutating) until its answer ends; with none free
 * it is answered 429 with Retry-After. Long-running requests take no slot. As kube-apiserver does
 * for system:masters, the admin is always answered: past the cap it goes through without a slot.
 */
import type { ServerResponse } from 'node:http';
import { ApiError } from '../../../api/errors.js';
import type { Counter, Gauge, Registry } from '../../../metrics/registry.js';
import type { Identity } from '../auth.js';
import type { RequestInfo } from './request-info.js';

type Kind = 'readOnly' | 'mutating';

const flagOf: Record<Kind, string> = { readOnly: '--max-requests-inflight', mutating: '--max-mutating-requests-inflight' };

/** Seconds a 429 tells the client to wait (kube-apiserver says 1). */
export const retryAfterSeconds = 1;

/** Counts requests in flight per kind against their caps (0: no cap). */
export class InflightLimiter {
  private readonly current: Record<Kind, number> = { readOnly: 0, mutating: 0 };
  private readonly caps: Record<Kind, number>;
  private readonly gauge?: Gauge;
  private readonly dropped?: Counter;

  constructor(caps: { maxRequestsInflight: number; maxMutatingRequestsInflight: number }, metrics?: Registry) {
    this.caps = { readOnly: caps.maxRequestsInflight, mutating: caps.maxMutatingRequestsInflight };
    if (metrics) {
      this.gauge = metrics.gauge({ name: 'apiserver_current_inflight_requests', help: 'Requests being served now that count against the in-flight limits, per request kind (long-running requests excluded).', labelNames: ['request_kind'] });
      this.dropped = metrics.counter({ name: 'apiserver_dropped_requests_total', help: 'Number of requests dropped with \'Try again later\' response.', labelNames: ['request_kind'] });
      this.gauge.set({ request_kind: 'readOnly' }, 0);
      this.gauge.set({ request_kind: 'mutating' }, 0);
    }
  }

  /** Requests of KIND being served now. */
  inFlight(kind: Kind): number { return this.current[kind]; }

  /** Take a slot for the request until RES closes, or throw TooManyRequests (Retry-After set on RES). */
  admit(info: RequestInfo, id: Identity | undefined, res: ServerResponse): void {
    if (info.longRunning) return;
    const kind: Kind = info.mutating ? 'mutating' : 'readOnly';
    const cap = this.caps[kind];
    if (cap > 0 && this.current[kind] >= cap) {
      if (id?.role === 'admin') return;
      this.dropped?.inc({ request_kind: kind });
      res.setHeader('retry-after', String(retryAfterSeconds));
      throw new ApiError('TooManyRequests', `too many requests: the server is already serving ${cap} ${kind === 'mutating' ? 'mutating' : 'read-only'} requests (lanternd server ${flagOf[kind]}); retry after ${retryAfterSeconds} s`);
    }
    this.move(kind, 1);
    let released = false;
    res.once('close', () => {
      if (released) return;
      released = true;
      this.move(kind, -1);
    });
  }

  private move(kind: Kind, by: number): void {
    this.current[kind] += by;
    this.gauge?.set({ request_kind: kind }, this.current[kind]);
  }
}
