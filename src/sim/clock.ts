/** Time as the simulator sees it; tests inject a ManualClock so no test sleeps. */
export interface Clock {
  now(): number;
  /** Run fn after ms; returns a cancel function. */
  after(ms: number, fn: () => void): () => void;
}

/** The real clock; its timers do not keep the process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, fn) {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref();
    return () => clearTimeout(t);
  },
};
