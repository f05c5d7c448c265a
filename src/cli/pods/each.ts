/**
 * Docker's multi-container verbs (stop, start, rm...) act on every argument, report each failure on
 * stderr, and exit 1 if any failed. Work runs in parallel; output keeps the argument order.
 */
import { errorText } from '../errors.js';

/** Run work for each ref; print the returned line (if any) for successes, the error for failures. */
export async function forEachRef(refs: string[], work: (ref: string) => Promise<string | undefined>): Promise<number> {
  const results = await Promise.allSettled(refs.map(work));
  let failed = false;
  results.forEach((r) => {
    if (r.status === 'fulfilled') { if (r.value !== undefined) process.stdout.write(`${r.value}\n`); }
    else { failed = true; process.stderr.write(`lcctl: Error: ${errorText(r.reason)}\n`); }
  });
  return failed ? 1 : 0;
}
