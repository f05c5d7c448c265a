import type { System } from './system.js';

/**
 * On the first SIGTERM or SIGINT: say so, stop the system (every component once, in reverse) and
 * exit 0. Containers keep running: conmon outlives the daemon, and the agent finds them again.
 */
export function stopOnSignal(system: System, say: (signal: NodeJS.Signals) => void = () => {}): void {
  const shutdown = (signal: NodeJS.Signals): void => {
    say(signal);
    void system.stop().finally(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
