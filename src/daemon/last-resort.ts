/**
 * The daemon's last resort: an exception or rejection that no request, stream, watch, controller or
 * node handler caught must not end `lanternd server` (or `agent`), which would stop every other
 * client, controller and node with it. Each one is a bug: it is logged with its stack as one clear
 * "BUG:" line and counted in lanternd_uncaught_errors_total, so tests and operators see it (the
 * hang-up test asserts the counter stays 0). It is a safety net, not error handling.
 */
import { writeSync } from 'node:fs';
import { Registry } from '../metrics/registry.js';

/** What installLastResort gives back: the registry holding its counter, and the count so far. */
export interface LastResort {
  registry: Registry;
  count(): number;
}

/** How many stack lines at most are logged per window before only counting (a tight loop of faults must not flood the log). */
const logBurst = 20;
const logWindowMs = 10_000;

/**
 * Install process-wide handlers for uncaught exceptions and unhandled rejections. `daemon` names the
 * process in the log line ("server", "agent"); the counter goes into `registry` (a new one if none).
 */
export function installLastResort(daemon: string, registry: Registry = new Registry(), write: (line: string) => void = stderrLine): LastResort {
  const counter = registry.counter({
    name: 'lanternd_uncaught_errors_total',
    help: 'Exceptions and promise rejections that no handler caught; the daemon logged each as a BUG and kept running. Should stay 0.',
    labelNames: ['kind'],
  });
  for (const kind of ['exception', 'rejection']) counter.inc({ kind }, 0);
  let windowStart = 0;
  let logged = 0;
  let suppressed = 0;
  let inHandler = false;
  const report = (kind: 'exception' | 'rejection', err: unknown): void => {
    counter.inc({ kind });
    // A fault while reporting (stderr gone, say) must not recurse into this handler.
    if (inHandler) return;
    inHandler = true;
    try {
      const now = Date.now();
      if (now - windowStart > logWindowMs) {
        if (suppressed > 0) write(`lanternd: BUG: ${suppressed} more uncaught errors were not logged in the last ${logWindowMs / 1000} s (see lanternd_uncaught_errors_total)`);
        windowStart = now;
        logged = 0;
        suppressed = 0;
      }
      if (logged >= logBurst) { suppressed++; return; }
      logged++;
      const what = kind === 'exception' ? 'uncaught exception' : 'unhandled promise rejection';
      write(`lanternd: BUG: ${what} (the ${daemon} keeps running; please report it): ${describe(err)}`);
    } catch {
      // Nothing more can be done: the count above is still right.
    } finally {
      inHandler = false;
    }
  };
  process.on('uncaughtException', (err) => report('exception', err));
  process.on('unhandledRejection', (reason) => report('rejection', reason));
  return { registry, count: () => counter.get({ kind: 'exception' }) + counter.get({ kind: 'rejection' }) };
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  try { return `non-Error value ${JSON.stringify(err)}`; } catch { return `non-Error value ${String(err)}`; }
}

/** Synchronous, so it neither queues behind a stuck pipe nor raises an 'error' event of its own. */
function stderrLine(line: string): void {
  try { writeSync(2, `${line}\n`); } catch { /* stderr is gone: the counter still counts */ }
}
