/**
 * Run a benchmark with a cleanup stack: whatever it started (servers, containers, dockerd, temp dirs)
 * is undone in reverse order on success, on an exception and on SIGINT/SIGTERM.
 */
type Undo = () => Promise<void> | void;

const stack: { what: string; undo: Undo }[] = [];
let unwinding: Promise<void> | undefined;
let stopping = false;

/** Register an undo step; it runs once, last registered first. */
export function onCleanup(what: string, undo: Undo): void {
  stack.push({ what, undo });
}

/** Throw when the benchmark was interrupted; loops call it so they stop making things to clean up. */
export function checkStop(): void {
  if (stopping) throw new Error('interrupted');
}

async function unwind(): Promise<void> {
  while (stack.length > 0) {
    const step = stack.pop()!;
    try { await step.undo(); } catch (e) {
      process.stderr.write(`bench: cleanup "${step.what}" failed: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }
}

/** Unwind now (idempotent while running). */
export function cleanupAll(): Promise<void> {
  unwinding ??= unwind().finally(() => { unwinding = undefined; });
  return unwinding;
}

const sleep = (msec: number): Promise<void> => new Promise((r) => setTimeout(r, msec));

/** Run main, then clean up and exit: 0 when it finished, 1 when it failed, 130 when interrupted. */
export function runBenchmark(name: string, main: () => Promise<void>): void {
  let finish: ((code: number) => void) | undefined;
  const done = new Promise<number>((r) => { finish = r; });
  let failed = false;
  const fail = (e: unknown): void => {
    if (stopping || failed) return;
    failed = true;
    process.stderr.write(`${name}: failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    finish?.(1);
  };
  const settled = main().then(() => finish?.(stopping ? 130 : 0), fail);
  // A stray rejection (a watch stream cut by a stopping server) must not kill us halfway through cleanup.
  process.on('unhandledRejection', (e) => { if (!stopping) fail(e); });
  const interrupted = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${name}: ${signal}: stopping, then cleaning up\n`);
    // Let main notice (checkStop) and stop creating things, but do not wait on it forever.
    void Promise.race([settled, sleep(30_000)]).then(() => finish?.(130));
  };
  process.on('SIGINT', () => interrupted('SIGINT'));
  process.on('SIGTERM', () => interrupted('SIGTERM'));
  void done.then(async (code) => {
    await cleanupAll();
    process.exit(code);
  });
}
