import type { Event } from '../../api/schema/event.js';

/**
 * When an event expires: its lastTimestamp (else firstTimestamp, else creationTimestamp) plus the
 * TTL, in ms since the epoch; undefined when it carries no readable time at all.
 */
export function expiresAt(ev: Event, ttlMs: number): number | undefined {
  for (const t of [ev.lastTimestamp, ev.firstTimestamp, ev.metadata.creationTimestamp]) {
    if (t === undefined || t === '') continue;
    const ms = Date.parse(t);
    if (!Number.isNaN(ms)) return ms + ttlMs;
  }
  return undefined;
}
