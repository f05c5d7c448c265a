import { open, stat } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import type { LogOptions } from '../../api/node-services.js';

/** One line of conmon's k8s-file log: "<RFC3339Nano> stdout|stderr F|P <text>". */
export interface LogLine { time: string; stream: 'stdout' | 'stderr'; partial: boolean; text: string }

export function parseLogLine(raw: string): LogLine | undefined {
  const a = raw.indexOf(' ');
  const b = raw.indexOf(' ', a + 1);
  const c = raw.indexOf(' ', b + 1);
  if (a < 0 || b < 0) return undefined;
  const stream = raw.slice(a + 1, b);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const tag = c < 0 ? raw.slice(b + 1) : raw.slice(b + 1, c);
  return { time: raw.slice(0, a), stream, partial: tag === 'P', text: c < 0 ? '' : raw.slice(c + 1) };
}

function wanted(line: LogLine, opts: LogOptions, since: number | undefined): boolean {
  if (opts.stream === 'Stdout' && line.stream !== 'stdout') return false;
  if (opts.stream === 'Stderr' && line.stream !== 'stderr') return false;
  if (since !== undefined && Date.parse(line.time) < since) return false;
  return true;
}

/** Render parsed lines as the user sees them, joining partial lines. */
class Renderer {
  private partial = new Map<string, string>();
  constructor(private readonly timestamps: boolean) {}
  render(line: LogLine): string | undefined {
    const prefix = this.partial.get(line.stream) ?? '';
    if (line.partial) { this.partial.set(line.stream, prefix + line.text); return undefined; }
    this.partial.delete(line.stream);
    // conmon writes "+00:00"; Docker and kubectl print UTC times with "Z".
    return (this.timestamps ? `${line.time.replace(/\+00:00$/, 'Z')} ` : '') + prefix + line.text + '\n';
  }
}

/**
 * Read a container's CRI log file: the last tailLines lines, then (with follow) new lines as they are
 * written until isDone() says the container has stopped for good and the file is drained.
 */
export function readContainerLog(path: string, opts: LogOptions, isDone: () => Promise<boolean>, signal: AbortSignal): Readable {
  const out = new PassThrough();
  const since = opts.sinceSeconds !== undefined ? Date.now() - opts.sinceSeconds * 1000 : undefined;
  const renderer = new Renderer(opts.timestamps ?? false);
  void (async () => {
    let fh;
    try { fh = await open(path, 'r'); } catch {
      if (!opts.follow) { out.end(); return; }
      // The container may not have written anything yet.
      while (!signal.aborted) {
        try { fh = await open(path, 'r'); break; } catch { if (await isDone()) { out.end(); return; } await sleep(100); }
      }
      if (!fh) { out.end(); return; }
    }
    try {
      let pos = 0;
      let rest = '';
      const readMore = async (): Promise<string[]> => {
        const { size } = await fh.stat();
        if (size <= pos) return [];
        const buf = Buffer.alloc(size - pos);
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        pos += bytesRead;
        const text = rest + buf.subarray(0, bytesRead).toString('utf8');
        const lines = text.split('\n');
        rest = lines.pop() ?? '';
        return lines;
      };
      let lines = (await readMore()).map(parseLogLine).filter((l): l is LogLine => l !== undefined && wanted(l, opts, since));
      if (opts.tailLines !== undefined) {
        // Count whole (non-partial) lines from the end.
        let whole = 0;
        let i = lines.length;
        while (i > 0 && whole < opts.tailLines) { i--; if (!lines[i]!.partial) whole++; }
        while (i > 0 && lines[i - 1]!.partial) i--;
        lines = lines.slice(i);
      }
      for (const l of lines) { const s = renderer.render(l); if (s !== undefined) out.write(s); }
      if (!opts.follow) { out.end(); return; }
      let idle = 0;
      while (!signal.aborted && !out.destroyed) {
        const more = await readMore();
        for (const raw of more) {
          const l = parseLogLine(raw);
          if (!l || !wanted(l, opts, since)) continue;
          const s = renderer.render(l);
          if (s !== undefined) out.write(s);
        }
        if (more.length > 0) { idle = 0; continue; }
        if (await isDone()) {
          // One last read: conmon may have flushed the final lines just before the exit.
          const last = await readMore();
          for (const raw of last) { const l = parseLogLine(raw); if (l && wanted(l, opts, since)) { const s = renderer.render(l); if (s !== undefined) out.write(s); } }
          break;
        }
        idle++;
        await sleep(Math.min(50, 10 * idle));
      }
      out.end();
    } catch (e) {
      out.destroy(e as Error);
    } finally {
      await fh.close().catch(() => undefined);
    }
  })().catch((e: unknown) => out.destroy(e instanceof Error ? e : new Error(String(e)))); // isDone() may fail while waiting for the file
  return out;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Whether a file exists (for the previous instance's log). */
export async function exists(path: string): Promise<boolean> {
  try { await stat(path); return true; } catch { return false; }
}
