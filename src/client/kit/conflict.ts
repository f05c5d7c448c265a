/** Re-read and re-apply on 409 Conflict (client-go's retry.RetryOnConflict). */
import { isApiError } from './errors.js';

/** How many tries, and which other errors count as worth another try. */
export interface RetryOptions {
  /** Tries in all (default 5). */
  attempts?: number;
  /** Also retry this error (e.g. NotFound of a cached copy on the first try). */
  alsoRetry?: (e: unknown, attempt: number) => boolean;
}

/**
 * Run fn until it does not fail with Conflict, at most `attempts` times; fn gets the attempt number
 * (0 first) and must read what it writes again on a retry, since a Conflict means its copy was stale.
 * The last error is thrown.
 */
export async function retryOnConflict<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = Math.max(1, opts.attempts ?? 5);
  for (let attempt = 0; ; attempt++) {
    try { return await fn(attempt); } catch (e) {
      const again = isApiError(e, 'Conflict') || (opts.alsoRetry?.(e, attempt) ?? false);
      if (!again || attempt >= attempts - 1) throw e;
    }
  }
}
