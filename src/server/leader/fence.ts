/**
 * The fence: the API the scheduler and controllers write through refuses their writes once this server
 * is no longer a leader that renewed its lease within renewDeadline, so a deposed leader whose
 * components have not yet stopped (or that hangs) cannot bind a pod or change an object.
 */
import { ApiError } from '../../api/errors.js';

/** The write methods of ApiClient/ApiService; reads and watches pass (informers keep their caches warm). */
const writes: ReadonlySet<string> = new Set(['create', 'update', 'updateStatus', 'delete', 'bind', 'patch']);

/** What the fence asks. */
export interface LeaderCheck {
  isLeader(): boolean;
  readonly identity: string;
}

/** The same API object, whose writes throw Forbidden unless `leader.isLeader()` at the moment of the call. */
export function fencedApi<T extends object>(api: T, leader: LeaderCheck): T {
  return new Proxy(api, {
    get(target, prop, receiver) {
      const v: unknown = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      const fn = v as (...args: unknown[]) => unknown;
      if (typeof prop !== 'string' || !writes.has(prop)) return fn.bind(target);
      return (...args: unknown[]): unknown => {
        if (!leader.isLeader()) {
          return Promise.reject(new ApiError('Forbidden', `fenced: ${leader.identity} is no longer the leader (its lease was not renewed within the deadline); the scheduler's and controllers' ${prop} is refused`));
        }
        return fn.apply(target, args);
      };
    },
  });
}
