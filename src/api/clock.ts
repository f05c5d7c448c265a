/** Where a component reads the time; tests inject one they move by hand, so no test sleeps. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** A clock that can also run something later (the simulator's timers). */
export interface TimerClock extends Clock {
  /** Run fn after ms; returns a cancel function. */
  after(ms: number, fn: () => void): () => void;
}

/** The machine's wall clock; its timers do not keep the process alive. */
export const systemClock: TimerClock = {
  now: () => Date.now(),
  after(ms, fn) {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref();
    return () => clearTimeout(t);
  },
};
