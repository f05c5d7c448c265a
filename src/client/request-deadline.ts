/**
 * A deadline for requests to a server that hangs without an error (SIGSTOPped, a link that drops
 * packets): the kernel still accepts the connection, so nothing fails and the request would wait
 * forever. Only requests that may be sent again elsewhere get one; watches, followed logs and
 * stream bodies are long by design and need a liveness check instead.
 */
import type { Readable } from 'node:stream';
import type { RawResponse } from './http-client.js';

/** How long a unary request waits for the answer's headers before the client moves on (ms). */
export const defaultRequestTimeoutMs = 15_000;

/** Methods HTTP calls idempotent: sending one again after a hang cannot apply it twice. */
const idempotent = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/**
 * Whether a request gets a deadline and may move on when it passes: an idempotent (or create,
 * `create`: handled by same-intent) request with a replayable body that is not a watch or a follow.
 */
export function hasDeadline(method: string, path: string, body: string | Buffer | Readable | undefined, create: boolean): boolean {
  const replayable = body === undefined || typeof body === 'string' || Buffer.isBuffer(body);
  if (!replayable) return false;
  if (!idempotent.has(method.toUpperCase()) && !create) return false;
  const q = new URL(path, 'http://x').searchParams;
  return !['watch', 'follow'].some((k) => q.get(k) === '1' || q.get(k) === 'true');
}

/** The error a request meets when `server` did not answer in time; `neverConnected` leaves it alone. */
export class RequestTimeout extends Error {
  constructor(server: string, ms: number) {
    super(`${server} did not answer within ${ms} ms (ETIMEDOUT): moving on to the next server`);
  }
}

/**
 * `send()`'s answer, or a RequestTimeout after `ms`. An answer that comes after the deadline is
 * dropped (its socket destroyed), so a server that wakes up later leaks nothing.
 */
export function withDeadline(send: Promise<RawResponse>, ms: number, server: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let late = false;
    const timer = setTimeout(() => { late = true; reject(new RequestTimeout(server, ms)); }, ms);
    send.then((res) => {
      clearTimeout(timer);
      if (late) res.body.destroy();
      else resolve(res);
    }, (e: unknown) => {
      clearTimeout(timer);
      if (!late) reject(e instanceof Error ? e : new Error(String(e)));
    });
  });
}
