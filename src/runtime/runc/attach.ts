import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { AttachSession } from '../types.js';

/** conmon's stream numbers on the attach socket (2 stdout, 3 stderr); 0 is the helper's "connected". */
const CONNECTED = 0;
const STDERR = 3;

/** Splits the helper's [stream][u32 length][data] frames back into stdout and stderr. */
export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);
  constructor(private readonly onFrame: (stream: number, data: Buffer) => void) {}
  push(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 5) {
      const len = this.pending.readUInt32BE(1);
      if (this.pending.length < 5 + len) return;
      this.onFrame(this.pending[0] ?? 0, this.pending.subarray(5, 5 + len));
      this.pending = this.pending.subarray(5 + len);
    }
  }
}

/** What attach needs to know about one container. */
export interface AttachTarget {
  helperPath: string;
  /** Directory holding conmon's "attach" socket (the <socket-dir>/<cuuid> symlink to the bundle). */
  socketDir: string;
  /** conmon's control FIFO (bundle/ctl), used for resizes. */
  ctlPath: string;
  terminal: boolean;
  stdin: boolean;
}

/** Connects to conmon's attach socket through the helper; resolves once it is connected. */
export async function attachTo(t: AttachTarget): Promise<AttachSession> {
  const child = spawn(t.helperPath, [t.socketDir], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let markConnected: () => void = () => undefined;
  const connected = new Promise<void>((r) => { markConnected = r; });
  const decoder = new FrameDecoder((stream, data) => {
    if (stream === CONNECTED) markConnected();
    else if (stream === STDERR && !t.terminal) stderr.write(data);
    else stdout.write(data);
  });
  child.stdout.on('data', (b: Buffer) => decoder.push(b));
  // Input written after the helper exited (the container ended, or we detached) fails with EPIPE.
  child.stdin.on('error', () => undefined);
  let helperErr = '';
  child.stderr.on('data', (b: Buffer) => { helperErr += b.toString('utf8'); });
  const closed = new Promise<void>((resolve, reject) => {
    child.on('error', (e) => reject(new Error(`cannot run the attach helper: ${e.message}`)));
    child.on('close', (code, signal) => {
      stdout.end();
      stderr.end();
      if (code === 0 || signal === 'SIGTERM') resolve();
      else reject(new Error(`attach failed: ${helperErr.trim() || `helper exited ${code ?? signal}`}; is the container still running?`));
    });
  });
  // Either connected, or the helper failed before connecting (closed rejects) or ended at once.
  await Promise.race([connected, closed]);
  const session: AttachSession = {
    stdout,
    resize: (size) => { void sendResize(t.ctlPath, size); },
    detach: () => { child.kill('SIGTERM'); },
    closed,
  };
  if (!t.terminal) session.stderr = stderr;
  if (t.stdin) session.stdin = child.stdin;
  else child.stdin.end();
  return session;
}

/** conmon reads "1 <rows> <cols>\n" from its ctl FIFO and resizes the container's terminal. */
async function sendResize(ctlPath: string, size: { cols: number; rows: number }): Promise<void> {
  try {
    // Non-blocking: when conmon is gone there is no reader, and open fails (ENXIO) instead of hanging.
    const fh = await open(ctlPath, constants.O_WRONLY | constants.O_NONBLOCK);
    try {
      await fh.write(`1 ${Math.floor(size.rows)} ${Math.floor(size.cols)}\n`);
    } finally {
      await fh.close();
    }
  } catch {
    // The container has exited: nothing to resize.
  }
}

/** Paths for attaching to a container whose conmon uses socketRoot and cuuid. */
export function attachPaths(socketRoot: string, cuuid: string, bundle: string): { socketDir: string; ctlPath: string } {
  return { socketDir: join(socketRoot, cuuid), ctlPath: join(bundle, 'ctl') };
}
