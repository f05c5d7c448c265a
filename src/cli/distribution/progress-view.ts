/**
 * Docker-style pull/push progress: on a terminal one line per layer, redrawn in place (cursor up, clear
 * line); otherwise one plain line per change of a layer's status (never per byte).
 */
import type { ImageProgress } from '../../api/image-transfer.js';
import { progressLine } from '../output/progress.js';

/** "sha256:0123456789abcdef..." -> "0123456789ab", as Docker shows layer IDs. */
export function shortLayer(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}

/** The text of one layer's line. */
export function layerText(p: ImageProgress): string {
  const id = shortLayer(p.layer ?? '');
  return (p.status === 'Downloading' || p.status === 'Pushing') && p.total
    ? `${id}: ${progressLine(p.status.padEnd(11), p.current ?? 0, p.total, 50)}`
    : `${id}: ${p.status}`;
}

/** Renders a stream of progress messages to a stream. */
export class ProgressView {
  private readonly rows: string[] = [];
  private readonly lastStatus = new Map<string, string>();
  /** Layers whose final status said they were fetched (for "Downloaded newer image"). */
  readonly transferred = new Set<string>();

  constructor(private readonly out: NodeJS.WritableStream, private readonly tty: boolean) {}

  /** Shows one message. */
  update(p: ImageProgress): void {
    if (p.layer && /complete|Pushed|Mounted/.test(p.status)) this.transferred.add(p.layer);
    if (!p.layer) { this.append(p.status); return; }
    if (!this.tty) {
      if (this.lastStatus.get(p.layer) !== p.status) this.out.write(`${shortLayer(p.layer)}: ${p.status}\n`);
      this.lastStatus.set(p.layer, p.status);
      return;
    }
    const text = layerText(p);
    const i = this.rows.indexOf(p.layer);
    if (i < 0) { this.rows.push(p.layer); this.out.write(`${text}\n`); return; }
    const up = this.rows.length - i;
    this.out.write(`\x1b[${up}A\r\x1b[2K${text}\x1b[${up}B\r`);
  }

  private append(text: string): void {
    this.rows.push('');
    this.out.write(`${text}\n`);
  }
}
