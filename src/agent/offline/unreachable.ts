/** Telling "the server cannot be reached" apart from "the server said no". */
import { ApiError } from '../../api/errors.js';

/**
 * True when err means the API could not be reached or did not answer (connection refused, no route,
 * reset, a 503 from a server going down): the node carries on from its own record and tries again
 * later. An answer the server gave (Forbidden, NotFound, Conflict...) is not.
 */
export function isUnreachable(err: unknown): boolean {
  if (err instanceof ApiError) return err.code === 'Unavailable' || err.code === 'RequestTimeout';
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && /^(E[A-Z]+|UND_ERR.*)$/.test((err as NodeJS.ErrnoException).code!);
}

/**
 * p, or an Unavailable error when no answer came within ms: a link that drops packets (rather than
 * refusing) leaves a request hanging for minutes (TCP's SYN retries), and a pod's sync must not wait
 * on it. The request itself goes on; a late answer is simply not waited for.
 */
export function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ApiError('Unavailable', `${what}: no answer from the server within ${ms} ms`)), ms);
    timer.unref();
  });
  p.catch(() => undefined); // a late failure is not an unhandled rejection
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
