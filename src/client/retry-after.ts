/**
 * client-go's answer to 429 Too Many Requests: wait as long as the server's Retry-After says, then
 * send the request again, a bounded number of times, so a busy server slows clients down instead
 * of failing their commands.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** Retries of one request after a 429 (client-go makes up to 10; commands should not hang long). */
export const maxRetries = 5;

/** Longest wait we honour per retry, whatever the server says. */
const maxWaitSeconds = 10;

/** Milliseconds to wait before retry number ATTEMPT (1-based) of an answer with these headers. */
export function retryDelayMs(headers: IncomingHttpHeaders, attempt: number): number {
  const value = Number(headers['retry-after']);
  const seconds = Number.isFinite(value) && value >= 0 ? value : attempt;
  return Math.min(seconds, maxWaitSeconds) * 1000;
}
