import { readFile } from 'node:fs/promises';

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
