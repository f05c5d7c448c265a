/** Timers on the injected clock, so tests move time by hand and nothing in the kit sleeps for real. */
import { systemClock, type Clock, type TimerClock } from '../../api/clock.js';

/** The clock's own timers when it has them; the machine's otherwise (a clock that only tells the time). */
export function timerClock(clock: Clock | undefined): TimerClock {
  if (clock === undefined) return systemClock;
  if ('after' in clock && typeof (clock as TimerClock).after === 'function') return clock as TimerClock;
  return { now: () => clock.now(), after: systemClock.after };
}

/** Run fn every ms on the clock until the returned function is called. */
export function every(clock: TimerClock, ms: number, fn: () => void): () => void {
  let cancel: (() => void) | undefined;
  let stopped = false;
  const arm = (): void => {
    cancel = clock.after(ms, () => {
      if (stopped) return;
      arm();
      fn();
    });
  };
  arm();
  return () => { stopped = true; cancel?.(); };
}

/** setTimeout's longest delay; a longer one would fire at once. */
export const maxDelayMs = 2 ** 31 - 1;
