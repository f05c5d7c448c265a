/** Poll until a condition holds: the one wait every test uses instead of a fixed sleep. */

/** How long to keep trying and how often; abort names a reason to stop at once (the process that should answer exited). */
export interface EventuallyOptions { timeoutMs?: number; intervalMs?: number; abort?: () => string | undefined }

/**
 * Call fn until it returns a truthy value (returned) or the time is up (throws, naming `what` and
 * the last error fn threw). fn may throw while the condition does not hold yet. `what` may be a
 * function, read only on timeout, so the error can show the state at that moment.
 */
export async function eventually<T>(what: string | (() => string), fn: () => T | undefined | false | null | Promise<T | undefined | false | null>, opts: EventuallyOptions = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) { last = e; }
    const reason = opts.abort?.();
    if (reason !== undefined) throw new Error(`gave up waiting for ${typeof what === 'function' ? what() : what}: ${reason}`);
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 50));
  }
  const name = typeof what === 'function' ? what() : what;
  throw new Error(`timed out waiting for ${name}${last === undefined ? '' : `: ${last instanceof Error ? last.message : String(last)}`}`);
}
