import type { TimerClock } from './clock.js';

interface Pending { at: number; seq: number; fn: () => void }

/** A clock that moves only when a test calls advance(); for tests and the simulator. */
export class ManualClock implements TimerClock {
  private pending: Pending[] = [];
  private seq = 0;
  constructor(private time = Date.parse('2026-01-01T00:00:00Z')) {}

  now(): number { return this.time; }

  after(ms: number, fn: () => void): () => void {
    const p = { at: this.time + Math.max(0, ms), seq: this.seq++, fn };
    this.pending.push(p);
    return () => { this.pending = this.pending.filter((x) => x !== p); };
  }

  /** Move time forward, firing due timers in order (timers they set are fired too when due). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      this.pending.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.pending[0];
      if (!next || next.at > end) break;
      this.pending.shift();
      this.time = next.at;
      next.fn();
    }
    this.time = end;
  }

  /** How many timers are armed (the simulator aims for one per queue, not one per node). */
  get armed(): number { return this.pending.length; }
}
