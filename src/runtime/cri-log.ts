import { open, readFile } from 'node:fs/promises';

/** One line of a CRI ("k8s-file") log as conmon writes it. */
export interface CriLogLine {
  time: string;
  stream: 'stdout' | 'stderr';
  /** False for a partial line ("P"): the next entry continues it. */
  full: boolean;
  text: string;
}

/** Parses "<RFC3339Nano> stdout|stderr F|P <text>" lines; malformed lines are skipped. */
export function parseCriLog(text: string): CriLogLine[] {
  const out: CriLogLine[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\S+) (stdout|stderr) ([FP]) ?(.*)$/.exec(line);
    if (!m) continue;
    out.push({ time: m[1] ?? '', stream: m[2] === 'stderr' ? 'stderr' : 'stdout', full: m[3] === 'F', text: m[4] ?? '' });
  }
  return out;
}

/** Reads and parses a container log; [] when it does not exist yet. */
export async function readCriLog(path: string): Promise<CriLogLine[]> {
  return parseCriLog(await readFile(path, 'utf8').catch(() => ''));
}

/**
 * Follows a log that is still being written: each read() returns the lines completed since the last
 * one (a line cut mid-write waits for its end), so output shows while the container runs.
 */
export class CriLogTail {
  private offset = 0;
  private rest = Buffer.alloc(0);

  constructor(readonly path: string) {}

  /** The complete lines written since the last read; [] while the file does not exist. */
  async read(): Promise<CriLogLine[]> {
    const fh = await open(this.path, 'r').catch(() => undefined);
    if (!fh) return [];
    try {
      const { size } = await fh.stat();
      if (size <= this.offset) return [];
      const buf = Buffer.alloc(size - this.offset);
      const { bytesRead } = await fh.read(buf, 0, buf.length, this.offset);
      this.offset += bytesRead;
      // Cut at the last newline byte, so a character split across two reads is decoded whole.
      const bytes = Buffer.concat([this.rest, buf.subarray(0, bytesRead)]);
      const cut = bytes.lastIndexOf(0x0a) + 1;
      this.rest = bytes.subarray(cut);
      return parseCriLog(bytes.subarray(0, cut).toString('utf8'));
    } finally {
      await fh.close();
    }
  }
}

/** The bytes a line stood for: its text, and the newline unless it was a partial ("P") line. */
export function criLineText(line: CriLogLine): string {
  return line.full ? `${line.text}\n` : line.text;
}
