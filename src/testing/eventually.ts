/** Poll until a condition holds: the one wait every test uses instead of a fixed sleep. */

/** How long to keep trying and how often. */
export interface EventuallyOptions { timeoutMs?: number; intervalMs?: number }

/**
 * Call fn until it returns a truthy value (returned) or the time is up (throws, naming `what` and
 * the last error fn threw). fn may throw while the condition does not hold yet.
 */
export async function eventually<T>(what: string, fn: () => T | undefined | false | null | Promise<T | undefined | false | null>, opts: EventuallyOptions = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) { last = e; }
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 50));
  }
  throw new Error(`timed out waiting for ${what}${last === undefined ? '' : `: ${last instanceof Error ? last.message : String(last)}`}`);
}
