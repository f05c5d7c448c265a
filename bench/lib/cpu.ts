import { readFileSync } from 'node:fs';
import { capture } from './proc.js';
import { rssKib } from './rss.js';

/** Clock ticks per second for /proc/PID/stat (getconf CLK_TCK; 100 on Linux almost everywhere). */
const clkTck = Number(capture('getconf', ['CLK_TCK'])) || 100;

/** CPU seconds (user + system) a process has used so far; undefined when it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm sits in parentheses and may hold spaces; utime and stime are fields 14 and 15 overall,
    // i.e. the 12th and 13th after the closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clkTck;
  } catch { return undefined; }
}

/** What one process used over a window. */
export interface Usage {
  /** Average CPU over the window, % of one core. */
  cpuPct: number;
  /** Highest 1 s CPU sample, % of one core. */
  cpuPeakPct: number;
  cpuSeconds: number;
  rssEndKib: number;
  rssPeakKib: number;
  wallS: number;
}

/**
 * Samples one process every `everyMs` (CPU ticks and VmRSS) until stop(): averages from first to
 * last sample, and the peaks of the per-sample CPU and of RSS.
 */
export class ProcSampler {
  private readonly t0 = performance.now();
  private readonly cpu0: number;
  private lastT = this.t0;
  private lastCpu: number;
  private peakPct = 0;
  private peakRss: number;
  private readonly timer: NodeJS.Timeout;

  constructor(readonly pid: number, everyMs = 1000) {
    this.cpu0 = cpuSeconds(pid) ?? 0;
    this.lastCpu = this.cpu0;
    this.peakRss = rssKib(pid);
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  private sample(): void {
    const t = performance.now();
    const cpu = cpuSeconds(this.pid);
    if (cpu === undefined) return;
    const pct = ((cpu - this.lastCpu) / ((t - this.lastT) / 1000)) * 100;
    this.peakPct = Math.max(this.peakPct, pct);
    this.lastT = t;
    this.lastCpu = cpu;
    this.peakRss = Math.max(this.peakRss, rssKib(this.pid));
  }

  /** Take a last sample and return the figures. */
  stop(): Usage {
    clearInterval(this.timer);
    this.sample();
    const wallS = (this.lastT - this.t0) / 1000;
    const cpuS = this.lastCpu - this.cpu0;
    return { cpuPct: wallS > 0 ? (cpuS / wallS) * 100 : 0, cpuPeakPct: this.peakPct, cpuSeconds: cpuS, rssEndKib: rssKib(this.pid), rssPeakKib: this.peakRss, wallS };
  }
}
