/**
 * Run a benchmark with a cleanup stack: whatever it started (servers, containers, dockerd, temp dirs)
 * is undone in reverse order on success, on an exception and on SIGINT/SIGTERM.
 */
type Undo = () => Promise<void> | void;

const stack: { what: string; undo: Undo }[] = [];
let unwinding: Promise<void> | undefined;

/** Register an undo step; it runs once, last registered first. */
export function onCleanup(what: string, undo: Undo): void {
  stack.push({ what, undo });
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

/** Run main, then clean up; exit 1 (after cleaning up) when it threw or was interrupted. */
export function runBenchmark(name: string, main: () => Promise<void>): void {
  const interrupted = (signal: string): void => {
    process.stderr.write(`\n${name}: ${signal}: cleaning up\n`);
    void cleanupAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', () => interrupted('SIGINT'));
  process.once('SIGTERM', () => interrupted('SIGTERM'));
  main().then(
    async () => { await cleanupAll(); process.exit(0); },
    async (e: unknown) => {
      process.stderr.write(`${name}: failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
      await cleanupAll();
      process.exit(1);
    },
  );
}
