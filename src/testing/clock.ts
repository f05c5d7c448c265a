/** The test clock: time moves only when the test says so. */
import { ManualClock as SimulatorClock } from '../api/manual-clock.js';

/** Let every promise that is ready settle (one turn of the event loop), so async work a timer began can finish. */
export const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * The simulator's ManualClock (advance(ms) fires due timers in order), plus advanceAsync for code
 * whose timers start async work (probes, back-offs): each step's promises settle before the next.
 */
export class ManualClock extends SimulatorClock {
  /** Move time forward stepMs at a time (the last step may be shorter), settling promises after each step. */
  async advanceAsync(ms: number, stepMs = 100): Promise<void> {
    for (let left = ms; left > 0; left -= stepMs) {
      this.advance(Math.min(stepMs, left));
      await settle();
    }
  }
}
