/**
 * Drive an exec/attach stream: local stdin goes out as stdin frames (then stdinEnd), stdout/stderr
 * frames come back to the local streams, and the exit frame carries the exit status.
 *
 *   stdin ──frame(0)──▶ socket ──▶ server        server ──frame(1|2)──▶ stdout/stderr
 *   SIGWINCH ──frame(4 {cols,rows})──▶             server ──frame(3 {exitCode}) | frame(6 {message})
 */
import { Channel, FrameDecoder, encodeFrame } from '../../api/stream-frames.js';
import type { Upgraded } from './upgrade.js';

/** Local ends of a session. */
export interface SessionIo {
  stdin?: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** How a session ended: an exit status, a start failure, or a connection that just closed. */
export interface SessionResult { exitCode?: number; error?: string }

/** A running session. */
export interface Session { result: Promise<SessionResult>; resize(size: { cols: number; rows: number }): void }

function parseJson(buf: Buffer): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(buf.toString('utf8'));
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch { return {}; }
}

/** Start relaying between the upgraded socket and the local streams. */
export function runSession(up: Upgraded, io: SessionIo): Session {
  const { socket } = up;
  const decoder = new FrameDecoder();
  const outcome: SessionResult = {};
  const result = new Promise<SessionResult>((resolve) => {
    let ended = false;
    const finish = (): void => {
      if (ended) return;
      ended = true;
      if (io.stdin) { io.stdin.removeListener('data', onStdin); io.stdin.removeListener('end', onStdinEnd); io.stdin.pause(); }
      resolve(outcome);
    };
    const onFrames = (chunk: Buffer): void => {
      for (const f of decoder.push(chunk)) {
        if (f.channel === Channel.stdout) io.stdout.write(f.payload);
        else if (f.channel === Channel.stderr) io.stderr.write(f.payload);
        else if (f.channel === Channel.exit) {
          const code = parseJson(f.payload).exitCode;
          if (typeof code === 'number') outcome.exitCode = code;
        } else if (f.channel === Channel.error) {
          const msg = parseJson(f.payload).message;
          outcome.error = typeof msg === 'string' ? msg : f.payload.toString('utf8');
        }
      }
    };
    const onStdin = (d: Buffer | string): void => {
      if (!socket.write(encodeFrame(Channel.stdin, typeof d === 'string' ? Buffer.from(d) : d))) {
        io.stdin?.pause();
        socket.once('drain', () => { if (!ended) io.stdin?.resume(); });
      }
    };
    const onStdinEnd = (): void => { if (!ended) socket.write(encodeFrame(Channel.stdinEnd, Buffer.alloc(0))); };
    if (up.head.length > 0) onFrames(up.head);
    socket.on('data', onFrames);
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', (e: Error) => { outcome.error ??= `connection to the server failed: ${e.message}`; finish(); });
    if (io.stdin) {
      io.stdin.on('data', onStdin);
      io.stdin.on('end', onStdinEnd);
      io.stdin.resume();
    }
  });
  return {
    result,
    resize: (size) => { if (!socket.destroyed) socket.write(encodeFrame(Channel.resize, JSON.stringify(size))); },
  };
}

/** Docker's exit status for an exec that could not start: 127 not found, 126 cannot be invoked. */
export function startFailureCode(message: string): number {
  return /not found|no such file/i.test(message) ? 127 : 126;
}
