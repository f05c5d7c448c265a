/** A Docker-like progress line on a terminal: "Loading  [=====>      ]  12.3MB/45.6MB". */
import { dockerSize } from '../images/rows.js';

/** Render one progress line (pure, for tests). */
export function progressLine(label: string, done: number, total: number | undefined, width = 40): string {
  if (total === undefined || total <= 0) return `${label}  ${dockerSize(done)}`;
  const frac = Math.min(1, done / total);
  const filled = Math.floor(frac * width);
  const bar = filled >= width ? '='.repeat(width) : '='.repeat(filled) + '>' + ' '.repeat(width - filled - 1);
  return `${label}  [${bar}]  ${dockerSize(done)}/${dockerSize(total)}`;
}

/** A throttled progress display writing carriage-return updates to a terminal stream. */
export class Progress {
  private last = 0;
  private done = 0;
  constructor(private readonly out: NodeJS.WriteStream, private readonly label: string, private readonly total: number | undefined) {}
  /** Count more bytes; redraws at most ten times a second. */
  add(n: number): void {
    this.done += n;
    const now = Date.now();
    if (now - this.last >= 100) { this.last = now; this.draw(); }
  }
  /** Draw the final state and end the line. */
  finish(): void { this.draw(); this.out.write('\n'); }
  private draw(): void { this.out.write(`\r${progressLine(this.label, this.done, this.total)}\x1b[K`); }
}
