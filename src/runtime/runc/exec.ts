import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Writable, type Readable } from 'node:stream';
import type { ExecOptions, ExecSession } from '../types.js';
import { pidAlive, signalNumber } from './proc.js';
import type { RuncCli } from './runc-cli.js';

/** runc exec's argv (after the global --root). */
export function runcExecArgs(id: string, opts: ExecOptions, pidFile: string): string[] {
  const args = ['exec', '--pid-file', pidFile];
  if (opts.tty) args.push('--tty');
  if (opts.cwd) args.push('--cwd', opts.cwd);
  if (opts.user) args.push('--user', `${opts.user.uid}:${opts.user.gid}`);
  for (const e of opts.env ?? []) args.push('--env', e);
  return [...args, id, ...opts.cmd];
}

/**
 * Docker's exit codes for a process that never started: runc exits 255 and says why on stderr
 * ("exec failed: unable to start container process: exec: "x": executable file not found in $PATH").
 */
export function execExitCode(code: number, runcOutput: string): number {
  if (code !== 255) return code;
  const m = /exec failed: (.*)/.exec(runcOutput);
  if (!m) return code;
  if (/executable file not found|no such file or directory/.test(m[1] ?? '')) return 127;
  if (/permission denied/.test(m[1] ?? '')) return 126;
  return code;
}

/** Starts `runc exec` with pipes, or inside a pseudo-terminal when opts.tty. */
export async function startExec(runc: RuncCli, id: string, opts: ExecOptions, scratchDir: string): Promise<ExecSession> {
  const pidFile = join(scratchDir, `exec-${randomBytes(6).toString('hex')}.pid`);
  const args = [...runc.globalArgs(), ...runcExecArgs(id, opts, pidFile)];
  const session = opts.tty ? await ptyExec(runc.path, args, opts) : pipeExec(runc.path, args, opts);
  let exited = false;
  const exit = session.exit.finally(() => { exited = true; rmSync(pidFile, { force: true }); });
  const kill = (signal: string, waitedMs: number): void => {
    if (exited) return;
    // Signal the process itself: runc relays catchable signals, but SIGKILL would only kill runc.
    const pid = readPid(pidFile);
    if (pid !== undefined && pidAlive(pid)) signalPid(pid, signal);
    // runc writes the pid file once the process runs; until then wait rather than orphan it.
    else if (waitedMs < 5000) setTimeout(() => kill(signal, waitedMs + 50), 50);
    else session.killRunc(signal);
  };
  return {
    ...session.streams, resize: session.resize, exit,
    // An unknown signal name throws here, to the caller, never later from the retry timer.
    kill: (signal = 'SIGKILL') => { signalNumber(signal); kill(signal, 0); },
  };
}

interface RawSession {
  streams: { stdin?: Writable; stdout: Readable; stderr?: Readable };
  resize(size: { cols: number; rows: number }): void;
  exit: Promise<number>;
  killRunc(signal: string): void;
}

function pipeExec(runcPath: string, args: string[], opts: ExecOptions): RawSession {
  const child = spawn(runcPath, args, { stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  const { stdout, stderr: runcErr } = child;
  if (!stdout || !runcErr) throw new Error('runc exec started without output pipes');
  // Tee stderr: the user reads it, and we look for runc's own "exec failed" message in its tail.
  const stderr = new PassThrough();
  let tail = '';
  let stderrEnded = false;
  runcErr.on('data', (b: Buffer) => {
    tail = (tail + b.toString('utf8')).slice(-4096);
    if (!stderr.write(b)) {
      runcErr.pause();
      stderr.once('drain', () => runcErr.resume());
    }
  });
  const stderrDone = new Promise<void>((r) => runcErr.on('close', () => { stderrEnded = true; stderr.end(); r(); }));
  const exit = new Promise<number>((resolve, reject) => {
    child.on('error', (e) => reject(new Error(`cannot run ${runcPath}: ${e.message}`)));
    child.on('exit', (code, signal) => {
      const raw = code ?? 128 + signalNumber(signal ?? 'SIGKILL');
      if (raw !== 255 || stderrEnded) return resolve(execExitCode(raw, tail));
      // runc's message may still be in the pipe when it exits.
      const wait = setTimeout(() => resolve(execExitCode(raw, tail)), 1000);
      void stderrDone.then(() => { clearTimeout(wait); resolve(execExitCode(raw, tail)); });
    });
  });
  // Input that arrives after the process exited fails with EPIPE: there is no one left to tell.
  child.stdin?.on('error', () => undefined);
  stdout.on('error', () => undefined);
  runcErr.on('error', () => undefined);
  const streams: RawSession['streams'] = { stdout, stderr };
  if (child.stdin) streams.stdin = child.stdin;
  return { streams, resize: () => undefined, exit, killRunc: (s) => { child.kill(s as NodeJS.Signals); } };
}

async function ptyExec(runcPath: string, args: string[], opts: ExecOptions): Promise<RawSession> {
  let pty: typeof import('node-pty');
  try {
    pty = (await import('node-pty')).default;
  } catch (e) {
    throw new Error(`exec with a tty needs node-pty, which did not load (${(e as Error).message}); ` +
      'if npm is still building it, wait a few minutes and retry');
  }
  const size = opts.size ?? { cols: 80, rows: 24 };
  // runc -t in the foreground insists on a terminal of its own: give it one and relay its bytes.
  const term = pty.spawn(runcPath, args, {
    name: 'xterm', cols: size.cols, rows: size.rows, cwd: '/', encoding: null,
    env: Object.fromEntries(Object.entries(process.env).filter((kv): kv is [string, string] => kv[1] !== undefined)),
  });
  const stdout = new PassThrough();
  let tail = '';
  term.onData((d: string | Buffer) => {
    const b = typeof d === 'string' ? Buffer.from(d) : d;
    tail = (tail + b.toString('utf8')).slice(-4096);
    stdout.write(b);
  });
  const exit = new Promise<number>((resolve) => {
    term.onExit(({ exitCode, signal }) => {
      stdout.end();
      resolve(execExitCode(signal ? 128 + signal : exitCode, tail));
    });
  });
  const streams: RawSession['streams'] = { stdout };
  if (opts.stdin) {
    streams.stdin = new Writable({
      write(chunk: Buffer, _enc, cb) {
        // The terminal is closed once the process exited: late input is dropped, as with a pipe.
        try { term.write(chunk); } catch { /* closed */ }
        cb();
      },
    });
  }
  return {
    streams,
    resize: (s) => {
      try {
        term.resize(Math.max(1, Math.floor(s.cols)), Math.max(1, Math.floor(s.rows)));
      } catch {
        // The terminal is already closed: the process has exited, nothing left to resize.
      }
    },
    exit,
    killRunc: (s) => { try { term.kill(s); } catch { /* already exited */ } },
  };
}

/**
 * Signal the exec'd process. It may exit (and runc reap it) between the liveness check and the kill:
 * that ESRCH means the work is done, and must not escape (a client closing its exec connection
 * as the command ends did this, from a timer, and it ended lanternd server).
 */
export function signalPid(pid: number, signal: string): void {
  try {
    process.kill(pid, signalNumber(signal));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

function readPid(file: string): number | undefined {
  try {
    const n = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}
